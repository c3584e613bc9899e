namespace Webhooks.Core.Internal;

/// <summary>Which index of the in-memory store holds a message.</summary>
internal enum MessagePlacement : byte
{
    /// <summary>No index: the message is finished, or is being moved.</summary>
    None,

    /// <summary>The near queue of the due index: due within the look-ahead horizon.</summary>
    Near,

    /// <summary>The far queue of the due index: due after the look-ahead horizon.</summary>
    Far,

    /// <summary>The lease queue of the due index: leased until the lease expires.</summary>
    Leased,

    /// <summary>The held set of its webhook: unfinished, with no next attempt time.</summary>
    Held,
}
