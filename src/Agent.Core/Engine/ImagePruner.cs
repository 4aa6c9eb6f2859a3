using Microsoft.Extensions.Logging;
using UpdateAgent.Core.History;
using UpdateAgent.Core.Ports;

namespace UpdateAgent.Core.Engine;

/// <summary>
/// Removes, after a commit, the images the agent replaced that no unit keeps any more: each unit
/// keeps the images of its last <c>keep_images</c> verified digests (so rollback and restore find
/// them), everything else the agent put there goes — disk use does not grow for ever. Only
/// images the agent itself verified or replaced are touched, never one another tag still names,
/// never one a container uses (removal is never forced).
/// </summary>
public sealed class ImagePruner(IContainerHost podman, HistoryStore history, int keepImages, ILogger logger)
{
    /// <summary>Removes what <paramref name="plan"/>'s unit no longer needs; failures are logged, never thrown.</summary>
    public async Task PruneAsync(UnitPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var kept = history.KeptImages(keepImages);
        var removed = new List<string>();
        foreach (var image in history.ImagesOf(plan.Unit).Where(i => !kept.Contains(i)))
        {
            try
            {
                if (!await podman.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
                var details = await podman.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
                if (details.RepoTags.Any(t => t != plan.RollbackTag))
                {
                    continue; // someone else names it: not ours to remove
                }
                if (details.RepoTags.Contains(plan.RollbackTag))
                {
                    await podman.UntagImageAsync(image, plan.RollbackTag, cancellationToken).ConfigureAwait(false);
                }
                if (await podman.RemoveImageAsync(image, cancellationToken).ConfigureAwait(false))
                {
                    removed.Add(image);
                }
            }
            catch (ContainerHostException e)
            {
                EngineLog.PruneFailed(logger, plan.Unit, image, e.Message);
            }
        }
        if (removed.Count > 0)
        {
            EngineLog.Pruned(logger, plan.Unit, removed.Count, string.Join(", ", removed), keepImages);
        }
    }
}
