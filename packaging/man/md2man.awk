# Turns the markdown of docs/man/*.md into a man page (roff -man), for packaging/man/build.sh.
# Plain POSIX awk (Debian's mawk, gawk, busybox): no pandoc or ronn is needed where pages are built.
#
# The markdown it reads, and nothing more:
#   # NAME(SECTION) - one line        first line: .TH and the NAME section
#   ## HEADING / ### HEADING          .SH (upper-cased unless it holds code) / .SS
#   paragraphs, blank-line separated  .PP
#   TERM line, then ": text" lines    a definition (.TP), as pandoc writes them
#   - item / 1. item                  .IP lists; indented lines continue the item
#   ``` fenced blocks                 shown as is, indented
#   | a | b | c | tables              header row dropped; each row a .TP: a, then b — c
#   `code` **bold** *italic* [text](url)
#   <!-- comments -->                 dropped
# Variables: manual (the centre footer's book name), source (the left footer).
BEGIN { pending = ""; in_code = 0; state = "start" }

function esc(s) { gsub(/\\/, "\\e", s); return s }
function lead(s) { if (s ~ /^[.']/) s = "\\&" s; return s }

# Inline markup; code spans are bold and taken literally (their hyphens are minus signs, to copy).
function inline(s,    out, c, i, n, code, bold, ital, rest, cl, text, url) {
  # Links first: [text](#anchor) keeps the text, [text](url) adds the url.
  while (match(s, /\[[^]]*\]\([^)]*\)/)) {
    text = substr(s, RSTART + 1, RLENGTH - 1); cl = index(text, "](")
    url = substr(text, cl + 2, length(text) - cl - 2); text = substr(text, 1, cl - 1)
    s = substr(s, 1, RSTART - 1) text (url ~ /^#/ ? "" : " <" url ">") substr(s, RSTART + RLENGTH)
  }
  s = esc(s); out = ""; n = length(s); code = 0; bold = 0; ital = 0
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "`") { code = !code; out = out (code ? "\\fB" : "\\fR"); continue }
    if (code) { out = out (c == "-" ? "\\-" : c); continue }
    if (c == "*" && substr(s, i + 1, 1) == "*") {
      rest = substr(s, i + 2)
      if (bold || index(rest, "**")) { bold = !bold; out = out (bold ? "\\fB" : "\\fR"); i++; continue }
    }
    if (c == "*") {
      rest = substr(s, i + 1)
      if (ital || (rest ~ /^[^ *]/ && index(rest, "*"))) { ital = !ital; out = out (ital ? "\\fI" : "\\fR"); continue }
    }
    out = out c
  }
  if (code || bold || ital) out = out "\\fR"
  return lead(out)
}

function flush() { if (pending != "") { print inline(pending); pending = "" } }

function cells(line,    n, i, parts, out) {
  gsub(/\\\|/, "\001", line)
  sub(/^[ \t]*\|/, "", line); sub(/\|[ \t]*$/, "", line)
  n = split(line, parts, "|"); ncell = n
  for (i = 1; i <= n; i++) { gsub(/^[ \t]+|[ \t]+$/, "", parts[i]); gsub(/\001/, "|", parts[i]); cell[i] = parts[i] }
  return n
}

NR == 1 {
  # # update-agent(8) - move podman units ...
  name = $2; sub(/\(.*/, "", name); section = $2; sub(/.*\(/, "", section); sub(/\).*/, "", section)
  line = $0; sub(/^# [^ ]+ +- +/, "", line)
  up = toupper(name)
  printf ".\\\" Generated from docs/man by packaging/man/build.sh; edit the markdown, not this file.\n"
  printf ".TH \"%s\" \"%s\" \"\" \"%s\" \"%s\"\n", up, section, source, manual
  print ".ad l"; print ".nh"
  print ".SH NAME"; print esc(name) " \\- " inline(line)
  state = "start"; next
}

in_code {
  if ($0 ~ /^[ \t]*```/) { print ".fi"; print ".RE"; in_code = 0; state = "code"; next }
  line = esc($0); gsub(/-/, "\\-", line); print lead(line); next
}

/^[ \t]*```/ { flush(); if (state != "start") print ".PP"; print ".RS 4"; print ".nf"; in_code = 1; next }

/^<!--.*-->[ \t]*$/ { next }

/^#+ / {
  flush(); level = index($0, " ") - 1; text = $0; sub(/^#+ +/, "", text)
  if (level <= 2) { if (text !~ /`/) text = toupper(text); print ".SH " inline(text) }
  else print ".SS " inline(text)
  state = "start"; next
}

/^[ \t]*$/ { flush(); if (state != "start") state = "blank"; next }

/^[ \t]*\|/ {
  if ($0 ~ /^[ \t]*\|[ \t:|-]+\|[ \t]*$/ && $0 ~ /---/) next   # the separator row
  if (state != "table") { flush(); if (state != "start") print ".PP"; state = "table"; next }  # the header row
  n = cells($0); print ".TP"; print inline(cell[1])
  body = ""; for (i = 2; i <= n; i++) if (cell[i] != "") body = body (body == "" ? "" : " \003 ") cell[i]
  if (body != "") { body = inline(body); gsub(/\003/, "\\(em", body); print body }
  next
}

/^: / {
  # A definition: a one-line paragraph before it is its term.
  text = $0; sub(/^: +/, "", text)
  if (state == "para" && pending != "") { print ".TP"; print inline(pending); pending = "" }
  print inline(text); state = "def"; next
}

/^[ \t]*([-*]|[0-9]+\.) / {
  flush(); text = $0; sub(/^[ \t]*/, "", text); mark = text; sub(/ .*/, "", mark); sub(/^[^ ]+ +/, "", text)
  print (mark ~ /^[0-9]/ ? ".IP " mark " 4" : ".IP \\(bu 2"); print inline(text); state = "list"; next
}

{
  text = $0; sub(/^[ \t]+/, "", text)
  if (state == "list" || state == "def") { print inline(text); next }
  if (state == "para") { flush(); print inline(text); next }
  if (state != "start") print ".PP"
  pending = text; state = "para"
}

END { flush(); if (in_code) { print ".fi"; print ".RE" } }
