using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.KeyPairs;

namespace Nova.Store.KeyPairs;

/// <summary>Key pairs stored inline with every append: the API lists and shows them, a server create checks its key_name.</summary>
public partial class KeyPairAggregation : SingleStreamProjection<KeyPair, Guid>
{
    public KeyPairAggregation()
    {
        foreach (var type in KeyPairEventTypes.All) IncludeType(type);
    }

    public override KeyPair Evolve(KeyPair? snapshot, Guid id, IEvent e) => KeyPair.Evolve(snapshot, e.Data);
}
