using Microsoft.Extensions.Logging;

// Some properties are journal fields only (e.g. VERDICT, FROM_DIGEST): they are meant to be queried, not read in the message.
#pragma warning disable SYSLIB1015

namespace UpdateAgent.Core.Engine;

/// <summary>
/// The engine's log events. Property names are the journal fields an operator queries
/// (<c>UNIT=</c>, <c>IMAGE=</c>, <c>FROM_DIGEST=</c>, <c>TO_DIGEST=</c>, <c>VERDICT=</c>, <c>SIGNER=</c>, <c>REASON=</c>).
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = (int)AgentEvent.PassStarted, EventName = nameof(AgentEvent.PassStarted), Level = LogLevel.Information, Message = "checking {UNITS} units ({IMAGES} images){DRY}")]
    public static partial void PassStarted(ILogger logger, int UNITS, int IMAGES, string DRY);

    [LoggerMessage(EventId = (int)AgentEvent.PassFinished, EventName = nameof(AgentEvent.PassFinished), Level = LogLevel.Information, Message = "pass finished in {SECONDS:0.00} s: {SUMMARY}")]
    public static partial void PassFinished(ILogger logger, double SECONDS, string SUMMARY);

    [LoggerMessage(EventId = (int)AgentEvent.UnitUpToDate, EventName = nameof(AgentEvent.UnitUpToDate), Level = LogLevel.Debug, Message = "{UNIT}: up to date on {IMAGE}@{FROM_DIGEST:short}")]
    public static partial void UpToDate(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST);

    [LoggerMessage(EventId = (int)AgentEvent.UnitUnverified, EventName = nameof(AgentEvent.UnitUnverified), Level = LogLevel.Error, Message = "{UNIT}: UNVERIFIED: runs {IMAGE}@{FROM_DIGEST:short}, which update-agent did not verify (last verified: {TO_DIGEST:short}): {REASON}")]
    public static partial void Unverified(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UnitUnmanageable, EventName = nameof(AgentEvent.UnitUnmanageable), Level = LogLevel.Warning, Message = "{UNIT}: unmanageable: runs {IMAGE}@{FROM_DIGEST:short}, left as it is: {REASON}")]
    public static partial void Unmanageable(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateRefused, EventName = nameof(AgentEvent.UpdateRefused), Level = LogLevel.Warning, Message = "{UNIT}: {VERDICT} {IMAGE}@{TO_DIGEST:short}, still runs {FROM_DIGEST:short}: {REASON} (reasons: {REASON_CODES})")]
    public static partial void Refused(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string VERDICT, string REASON, string REASON_CODES);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateUndecided, EventName = nameof(AgentEvent.UpdateUndecided), Level = LogLevel.Warning, Message = "{UNIT}: could not decide on {IMAGE}, still runs {FROM_DIGEST:short}: {REASON}")]
    public static partial void Undecided(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateSkipped, EventName = nameof(AgentEvent.UpdateSkipped), Level = LogLevel.Information, Message = "{UNIT}: {STATUS} on {IMAGE}: {REASON}")]
    public static partial void Skipped(ILogger logger, string UNIT, string IMAGE, string STATUS, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UpdatePending, EventName = nameof(AgentEvent.UpdatePending), Level = LogLevel.Information, Message = "{UNIT}: would move {IMAGE} from {FROM_DIGEST:short} to {TO_DIGEST:short} (dry run), signed by {SIGNER}")]
    public static partial void Pending(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string SIGNER);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateStep, EventName = nameof(AgentEvent.UpdateStep), Level = LogLevel.Information, Message = "{UNIT}: {STEP} {IMAGE}@{TO_DIGEST:short}")]
    public static partial void Step(ILogger logger, string UNIT, string STEP, string IMAGE, string TO_DIGEST);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateCommitted, EventName = nameof(AgentEvent.UpdateCommitted), Level = LogLevel.Information, Message = "{UNIT}: updated {IMAGE} from {FROM_DIGEST:short} to {TO_DIGEST:short} ({VERDICT}, signed by {SIGNER}); {REASON}")]
    public static partial void Committed(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string VERDICT, string SIGNER, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UnitRestored, EventName = nameof(AgentEvent.UnitRestored), Level = LogLevel.Warning, Message = "{UNIT}: ran {IMAGE}@{FROM_DIGEST:short}, which update-agent did not verify; restored the verified {TO_DIGEST:short} (signed by {SIGNER}): {REASON}")]
    public static partial void Restored(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string SIGNER, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.ImagesPruned, EventName = nameof(AgentEvent.ImagesPruned), Level = LogLevel.Information, Message = "{UNIT}: removed {COUNT} image(s) it no longer needs (keep_images = {KEEP}): {IMAGES}")]
    public static partial void Pruned(ILogger logger, string UNIT, int COUNT, string IMAGES, int KEEP);

    [LoggerMessage(EventId = (int)AgentEvent.ImagePruneFailed, EventName = nameof(AgentEvent.ImagePruneFailed), Level = LogLevel.Warning, Message = "{UNIT}: could not remove image {IMAGE}: {REASON}")]
    public static partial void PruneFailed(ILogger logger, string UNIT, string IMAGE, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateRolledBack, EventName = nameof(AgentEvent.UpdateRolledBack), Level = LogLevel.Error, Message = "{UNIT}: rolled back {IMAGE} from {TO_DIGEST:short} to {FROM_DIGEST:short}: {REASON}")]
    public static partial void RolledBack(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateFailed, EventName = nameof(AgentEvent.UpdateFailed), Level = LogLevel.Error, Message = "{UNIT}: update of {IMAGE} from {FROM_DIGEST:short} to {TO_DIGEST:short} failed: {REASON}")]
    public static partial void Failed(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.HistoryStoreFailed, EventName = nameof(AgentEvent.HistoryStoreFailed), Level = LogLevel.Error, Message = "the history {PATH} could not be read or written: {REASON}")]
    public static partial void HistoryStoreFailed(ILogger logger, string PATH, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.HistoryPruned, EventName = nameof(AgentEvent.HistoryPruned), Level = LogLevel.Information, Message = "removed {COUNT} history records older than {DAYS} days (history_days)")]
    public static partial void HistoryPruned(ILogger logger, int COUNT, int DAYS);

    [LoggerMessage(EventId = (int)AgentEvent.UpdateRecovered, EventName = nameof(AgentEvent.UpdateRecovered), Level = LogLevel.Warning, Message = "{UNIT}: interrupted update of {IMAGE} from {FROM_DIGEST:short} to {TO_DIGEST:short} resolved on start: {STATUS}: {REASON}")]
    public static partial void Recovered(ILogger logger, string UNIT, string IMAGE, string FROM_DIGEST, string TO_DIGEST, string STATUS, string REASON);

    [LoggerMessage(EventId = (int)AgentEvent.DiscoveryProblem, EventName = nameof(AgentEvent.DiscoveryProblem), Level = LogLevel.Warning, Message = "{SUBJECT}: not managed: {REASON} (unit: {UNIT})")]
    public static partial void DiscoveryProblem(ILogger logger, string SUBJECT, string UNIT, string REASON);
}
