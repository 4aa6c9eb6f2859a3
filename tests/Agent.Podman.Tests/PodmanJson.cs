namespace UpdateAgent.Podman.Tests;

/// <summary>Bodies shaped like Podman 4.3's answers, trimmed to the fields the client reads.</summary>
internal static class PodmanJson
{
    public const string ImageA = "sha256:aaaa000000000000000000000000000000000000000000000000000000000000";
    public const string ImageB = "sha256:bbbb000000000000000000000000000000000000000000000000000000000000";

    public static string Listed(string name, string unit, string imageId = ImageA, string policy = "registry") => $$$"""
        {"Id":"{{{name}}}-id","Names":["{{{name}}}"],"Image":"reg.example/app:latest","ImageID":"{{{imageId["sha256:".Length..]}}}","State":"running",
         "Labels":{"io.containers.autoupdate":"{{{policy}}}","PODMAN_SYSTEMD_UNIT":"{{{unit}}}","io.containers.autoupdate.health":"cmd"},"IsInfra":false,"Pod":"","PodName":""}
        """;

    public static string Container(string name, string imageId = ImageA, string reference = "reg.example/app:latest", string health = "")
    {
        var healthJson = health.Length > 0 ? $$$""","Health":{"Status":"{{{health}}}","FailingStreak":3,"Log":[]}""" : "";
        return $$$"""
            {"Id":"{{{name}}}-id","Name":"/{{{name}}}","Image":"{{{imageId}}}","RestartCount":2,
             "Config":{"Image":"{{{reference}}}","Labels":{"io.containers.autoupdate":"registry","io.containers.autoupdate.health":"cmd"}},
             "State":{"Status":"running","Running":true,"StartedAt":"2026-11-23T18:38:34.36872902Z","FinishedAt":"0001-01-01T00:00:00Z"{{{healthJson}}}}
            """ + "}";
    }

    public static string Image(string id, string repoDigest) => $$$$"""
        {"Id":"{{{{id}}}}","RepoTags":["reg.example/app:latest","reg.example/app:rollback"],"RepoDigests":["{{{{repoDigest}}}}","other.example/app@sha256:ffff"],
         "Created":"2026-11-23T18:38:33.531652183Z","Config":{"Labels":{"build":"7"}}}
        """;
}
