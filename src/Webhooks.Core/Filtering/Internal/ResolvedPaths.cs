using System.Runtime.CompilerServices;

namespace Webhooks.Core.Internal;

/// <summary>Stack room for the path prefixes of one evaluation.</summary>
[InlineArray(FilterPathSlots.MaxSlots)]
internal struct ResolvedPaths
{
    private ResolvedPath _first;
}
