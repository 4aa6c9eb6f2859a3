using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using UpdateAgent.Podman.Transport;

namespace UpdateAgent.Podman.Operations;

/// <summary>Image calls: exists, inspect, pull by digest, tag, untag, remove, and what a tag points to.</summary>
internal sealed class ImageOperations(PodmanConnection connection, ILogger logger)
{
    private TimeSpan Timeout => connection.Options.RequestTimeout;

    public Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
    {
        References.RequireName(image, "image");
        return connection.Policy.RunAsync("check image", image, Timeout,
            token => connection.Libpod.ImageExistsAsync(image, token), cancellationToken);
    }

    public async Task<ImageDetails> InspectAsync(string image, CancellationToken cancellationToken)
    {
        References.RequireName(image, "image");
        var inspected = await connection.Policy.RunAsync("inspect image", image, Timeout,
            token => connection.Docker.Images.InspectImageAsync(image, token), cancellationToken).ConfigureAwait(false);
        return ToDetails(inspected);
    }

    public async Task<PulledImage> PullByDigestAsync(string digestReference, PullAccess? access, CancellationToken cancellationToken)
    {
        References.SplitDigest(digestReference);
        var imageId = await connection.Policy.RunAsync("pull", digestReference, connection.Options.PullTimeout,
            token => connection.Libpod.PullAsync(digestReference, access, token), cancellationToken).ConfigureAwait(false);
        PodmanLog.Pulled(logger, digestReference, imageId);
        return new PulledImage(digestReference, imageId);
    }

    public Task TagAsync(string image, string targetTag, CancellationToken cancellationToken)
    {
        References.RequireName(image, "image");
        var (repository, tag) = References.SplitTag(targetTag);
        var parameters = new ImageTagParameters { RepositoryName = repository, Tag = tag };
        return connection.Policy.RunAsync($"tag {targetTag} onto image", image, Timeout,
            token => connection.Docker.Images.TagImageAsync(image, parameters, token), cancellationToken);
    }

    public Task UntagAsync(string image, string targetTag, CancellationToken cancellationToken)
    {
        References.RequireName(image, "image");
        var (repository, tag) = References.SplitTag(targetTag);
        return connection.Policy.RunAsync($"remove tag {targetTag} from image", image, Timeout,
            token => connection.Libpod.UntagAsync(image, repository, tag, token), cancellationToken);
    }

    public async Task<bool> RemoveAsync(string imageId, CancellationToken cancellationToken)
    {
        References.RequireName(imageId, "image");
        try
        {
            // Never forced: an image a container still uses (even a stopped one) stays.
            await connection.Policy.RunAsync("remove image", imageId, Timeout,
                token => connection.Docker.Images.DeleteImageAsync(imageId, new ImageDeleteParameters { Force = false, NoPrune = false }, token),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PodmanException e) when (e.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<LocalTag?> ReadLocalTagAsync(string tagReference, CancellationToken cancellationToken)
    {
        var (repository, _) = References.SplitTag(tagReference);
        ImageDetails image;
        try
        {
            image = await InspectAsync(tagReference, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanNotFoundException)
        {
            return null;
        }
        // Podman resolves short names, so the tag must be among the image's own tags to count as this one.
        if (!image.RepoTags.Contains(tagReference, StringComparer.Ordinal))
        {
            return null;
        }
        var digests = image.RepoDigests
            .Select(entry => entry.Split('@', 2))
            .Where(parts => parts.Length == 2 && string.Equals(parts[0], repository, StringComparison.Ordinal))
            .Select(parts => parts[1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new LocalTag(tagReference, image.Id, digests);
    }

    private static ImageDetails ToDetails(ImageInspectResponse image) => new(
        ImageIds.Normalize(image.ID ?? ""),
        [.. image.RepoTags ?? []],
        [.. image.RepoDigests ?? []],
        image.Created is { } created ? new DateTimeOffset(created.ToUniversalTime()) : null,
        new Dictionary<string, string>(image.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
}
