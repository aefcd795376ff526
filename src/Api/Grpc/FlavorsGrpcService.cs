using Nova.Commands.Flavors;
using Grpc.Core;
using Nova.Api.Flavors;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Compute.V1;
using Nova.Store.Flavors;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Grpc;

/// <summary>nova.compute.v1.Flavors: the queries behind GET /v2.1/flavors.</summary>
public sealed class FlavorsGrpcService(IMediator mediator) : Compute.V1.Flavors.FlavorsBase
{
    public override async Task<ListFlavorsResponse> ListFlavors(ListFlavorsRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? (int?)null : request.Limit;
        var flavors = await mediator.Send(new ListFlavors(IsPublic: null, // every flavor the caller may see
            MinRamMb: request.MinRamMb == 0 ? null : request.MinRamMb,
            MinDiskGb: request.MinDiskGb == 0 ? null : request.MinDiskGb,
            Marker: request.Marker.Length == 0 ? null : request.Marker,
            Limit: limit), context.CancellationToken);
        var response = new ListFlavorsResponse { Flavors = { flavors.Select(ToMessage) } };
        if (limit is { } l && flavors.Count == l) response.NextMarker = flavors[^1].Id;
        return response;
    }

    public override async Task<FlavorDetail> GetFlavor(GetFlavorRequest request, ServerCallContext context) =>
        ToMessage(await mediator.Send(new GetFlavor(request.FlavorId.Length > 0 ? request.FlavorId
            : throw NovaError.BadRequest("Invalid input for field/attribute flavor_id. Value: must not be empty.")), context.CancellationToken));

    private static FlavorDetail ToMessage(FlavorRecord f) => new()
    {
        Id = f.Id, Name = f.Name, Vcpus = f.Vcpus, RamMb = f.RamMb, DiskGb = f.DiskGb, EphemeralGb = f.EphemeralGb,
        SwapMb = f.SwapMb, RxtxFactor = f.RxtxFactor, IsPublic = f.IsPublic, Description = f.Description ?? "",
        ExtraSpecs = { f.ExtraSpecs },
    };
}
