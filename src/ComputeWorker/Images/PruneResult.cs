namespace Nova.ComputeWorker.Images;

/// <param name="RemovedBases">Base files removed because nothing used them for longer than the age.</param>
/// <param name="RemovedTemporaries">Leftovers of fetches or conversions that died with their process.</param>
/// <param name="UnreadableDisks">Instance disks whose backing file could not be read: skipped, so the rest of the
/// cache is still pruned (the worker logs them for an operator).</param>
public sealed record PruneResult(
    IReadOnlyList<string> RemovedBases,
    IReadOnlyList<string> RemovedTemporaries,
    IReadOnlyList<string> UnreadableDisks);
