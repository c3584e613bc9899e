namespace Webhooks.Core.Internal;

/// <summary>A compiled boolean expression. Instances are immutable and evaluate without allocating.</summary>
internal abstract class FilterPredicate
{
    /// <summary>Evaluates the expression against an event.</summary>
    /// <param name="scope">The event.</param>
    /// <returns>Whether the event satisfies the expression.</returns>
    public abstract bool Evaluate(in FilterScope scope);
}
