# bash completion for update-agent(8): commands, their options, unit names and files.
# Installed as /usr/share/bash-completion/completions/update-agent (bash-completion loads it on
# first use); it also works sourced on its own, without bash-completion's helpers.

_update_agent_units() {
  # Service units systemd knows; the commands that take a unit accept any of them.
  systemctl list-units --all --type=service --plain --no-legend 2>/dev/null | awk '{ print $1 }'
}

_update_agent() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="run check status history hold release quarantine units guard rollback doctor verify bless"
  local command="" sub="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) if [ -z "$command" ]; then command=${COMP_WORDS[i]}
         elif [ "$command" = quarantine ] && [ -z "$sub" ]; then sub=${COMP_WORDS[i]}; fi;;
    esac
  done

  case $prev in
    --config|--key) COMPREPLY=($(compgen -f -- "$cur")); return 0;;
    --since) COMPREPLY=($(compgen -W "1h 24h 7d 30d" -- "$cur")); return 0;;
    --format) COMPREPLY=($(compgen -W "table json podman podman-table" -- "$cur")); return 0;;
    --reason|-a|--annotation) COMPREPLY=(); return 0;;
  esac

  local options="" units=no
  case $command in
    "") COMPREPLY=($(compgen -W "$commands --user --help --version" -- "$cur")); return 0;;
    run|doctor) options="--config";;
    units) options="--config --migration --json";;
    check) options="--dry-run --config --json --format"; units=yes;;
    status) options="--config --json";;
    history) options="--since --config --json"; units=yes;;
    hold) options="--reason --config"; units=yes;;
    release|guard|rollback) options="--config"; units=yes;;
    quarantine)
      case $sub in
        "") COMPREPLY=($(compgen -W "list release --help" -- "$cur")); return 0;;
        list) options="--config --json";;
        release) options="--config"; units=yes;;
      esac;;
    verify) options="--config --json";;
    bless) options="--key --annotation -a --config --allow-insecure-registry";;
  esac
  if [[ $cur == -* ]] || [ $units = no ]; then
    COMPREPLY=($(compgen -W "$options --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_update_agent_units)" -- "$cur"))
  fi
  return 0
}
complete -F _update_agent update-agent
