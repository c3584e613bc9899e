namespace Webhooks.Core.Internal;

/// <summary>A compiled operand: something that yields a value for each event.</summary>
internal abstract class FilterOperand
{
    /// <summary>Gets a value indicating whether <see cref="Resolve"/> writes into its scratch buffer.</summary>
    public virtual bool UsesScratch => false;

    /// <summary>Resolves the operand against an event.</summary>
    /// <param name="scope">The event.</param>
    /// <param name="scratch">Room for text the operand computes; only used when <see cref="UsesScratch"/>.</param>
    /// <returns>The value, which may refer to the event, the operand or <paramref name="scratch"/>.</returns>
    public abstract FilterValue Resolve(in FilterScope scope, ref TextScratch scratch);
}
