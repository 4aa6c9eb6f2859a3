using Microsoft.Extensions.Logging;
using UpdateAgent.Core.History;

namespace UpdateAgent.Core.Engine;

/// <summary>Turns a terminal state into a log event, the unit's last-check row and, for a new refusal, a history row.</summary>
internal sealed class Reporter(HistoryStore history, ILogger logger, TimeProvider time)
{
    public UnitReport Report(UpdateState state)
    {
        var plan = state.Plan;
        var candidate = state switch
        {
            Refused r => r.Candidate,
            Committed c => c.Candidate,
            RolledBack r => r.Candidate,
            Failed f => f.Candidate,
            _ => plan.Candidate,
        };
        var verdict = state switch { Refused r => r.Verdict, Unchanged u => u.Verdict, _ => null };
        var codes = verdict?.Reasons.Select(r => r.Code).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var signers = verdict is null ? "" : UpdateMachine.Signers(verdict);
        var image = plan.ImageReference;
        var from = plan.RunningDigest;
        var to = candidate ?? "";

        switch (state)
        {
            case Unchanged { Word: UnitStatus.UpToDate }:
                EngineLog.UpToDate(logger, plan.Unit, image, from);
                break;
            case Unchanged { Word: UnitStatus.Undecided } u:
                EngineLog.Undecided(logger, plan.Unit, image, from, u.Why);
                break;
            case Unchanged { Word: UnitStatus.Pending } u:
                EngineLog.Pending(logger, plan.Unit, image, from, to, signers);
                break;
            case Unchanged u:
                EngineLog.Skipped(logger, plan.Unit, image, u.Word.Word(), u.Why);
                break;
            case Unverified u:
                EngineLog.Unverified(logger, plan.Unit, image, from, plan.Verified?.Digest ?? "", u.Why);
                break;
            case Unmanageable u:
                EngineLog.Unmanageable(logger, plan.Unit, image, from, u.Why);
                break;
            case Refused r:
                // A refusal is news once per candidate; later passes only refresh the unit's status.
                var last = Read(() => history.UnitChecks().FirstOrDefault(c => c.Unit == plan.Unit));
                if (last is null || last.Status != UnitStatus.Refused || last.RemoteDigest != r.Candidate)
                {
                    Write(() => history.RecordFinished(plan.Unit, image, from, r.Candidate, "refused", signers, r.Detail, UnitStatus.Refused));
                    EngineLog.Refused(logger, plan.Unit, image, from, r.Candidate, "refused", r.Detail, string.Join(",", codes));
                }
                break;
            case Committed c when plan.IsRestore:
                EngineLog.Restored(logger, plan.Unit, image, from, c.Candidate, Signers(c.UpdateId), c.Health.Summary);
                break;
            case Committed c:
                EngineLog.Committed(logger, plan.Unit, image, from, c.Candidate, "accepted", Signers(c.UpdateId), c.Health.Summary);
                break;
            case RolledBack r:
                EngineLog.RolledBack(logger, plan.Unit, image, from, r.Candidate, r.Detail);
                break;
            case Failed f:
                EngineLog.Failed(logger, plan.Unit, image, from, to, f.Why);
                break;
        }
        Write(() => history.RecordCheck(new UnitCheck(plan.Unit, image, from, candidate, state.Status, state.Detail, time.GetUtcNow())));
        return new UnitReport(plan.Unit, image, from, candidate, state.Status, state.Detail, codes, state is Committed c2 ? Signers(c2.UpdateId) : signers)
        {
            Group = plan.Group,
        };
    }

    /// <summary>
    /// A unit discovery could not take in. One of a shape the agent does not update is reported
    /// <c>unmanageable</c> and kept in the unit's status, so <c>status</c> and <c>doctor</c> name it
    /// until the operator changes it; one that could not be read this pass is only this pass's failure.
    /// </summary>
    public UnitReport Report(Ports.DiscoveryProblem problem)
    {
        var unit = problem.UnitName ?? problem.Subject;
        if (!problem.Unmanageable)
        {
            EngineLog.DiscoveryProblem(logger, problem.Subject, problem.UnitName ?? "none", problem.Message);
            return new UnitReport(unit, problem.Image, "", null, UnitStatus.Failed, problem.Message, [], "");
        }
        EngineLog.Unmanageable(logger, unit, problem.Image, "", problem.Message);
        Write(() => history.RecordCheck(new UnitCheck(unit, problem.Image, "", null, UnitStatus.Unmanageable, problem.Message, time.GetUtcNow())));
        return new UnitReport(unit, problem.Image, "", null, UnitStatus.Unmanageable, problem.Message, [], "");
    }

    private string Signers(long updateId) => Read(() => history.Get(updateId)?.Signers) ?? "";

    // The report of a unit never fails for the store: the outcome was already reached on the host.
    private void Write(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e)
        {
            EngineLog.HistoryStoreFailed(logger, history.Path, e.Message);
        }
    }

    private T? Read<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (Exception e)
        {
            EngineLog.HistoryStoreFailed(logger, history.Path, e.Message);
            return default;
        }
    }
}
