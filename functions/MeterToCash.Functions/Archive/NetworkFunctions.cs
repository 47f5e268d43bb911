using MeterToCash.Domain.Archive;
using MeterToCash.Domain.Common;
using MeterToCash.Functions.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MeterToCash.Functions.Archive;

/// <summary>The network archive: substations → feeders → transformer areas (台区), and the area tree.</summary>
public sealed class NetworkFunctions(ArchiveStore store)
{
    [Function(nameof(PutNetworkNode))]
    public async Task<IActionResult> PutNetworkNode(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "network/{level}/{code}")] HttpRequest request,
        string level,
        string code)
    {
        NetworkLevel? parsedLevel = level.ToLowerInvariant() switch
        {
            "substations" => NetworkLevel.Substation,
            "feeders" => NetworkLevel.Feeder,
            "areas" => NetworkLevel.TransformerArea,
            _ => null,
        };
        if (parsedLevel is not { } nodeLevel)
        {
            return Problems.Validation("level", "enum", "The level in the route must be 'substations', 'feeders' or 'areas'.", StatusCodes.Status404NotFound);
        }

        (NetworkNodeDto? dto, ObjectResult? problem) = await RequestJson.ReadAsync<NetworkNodeDto>(request, ArchiveJson.Options);
        if (problem is not null)
        {
            return problem;
        }

        string? parent = nodeLevel switch
        {
            NetworkLevel.Feeder => dto!.SubstationCode,
            NetworkLevel.TransformerArea => dto!.FeederCode,
            _ => dto!.SubstationCode ?? dto.FeederCode,
        };
        List<ValidationError> errors = [];
        MasterMeter? master = dto.MasterMeter?.ToDomain(errors);
        NetworkNode node = new(nodeLevel, code, dto.Name?.Trim() ?? string.Empty, parent, dto.RatedKva, master);
        errors.AddRange(ArchiveValidator.Validate(node));
        if (errors.Count > 0)
        {
            return RequestJson.Invalid(errors);
        }

        CancellationToken ct = request.HttpContext.RequestAborted;
        NetworkLevel? parentLevel = nodeLevel switch
        {
            NetworkLevel.Feeder => NetworkLevel.Substation,
            NetworkLevel.TransformerArea => NetworkLevel.Feeder,
            _ => null,
        };
        if (parentLevel is { } pl && await store.FindNodeAsync(pl, parent!, ct) is null)
        {
            string field = pl == NetworkLevel.Substation ? "substationCode" : "feederCode";
            return RequestJson.Invalid([new ValidationError(field, "unknown-parent", $"{pl} '{parent}' does not exist; create it first.")], StatusCodes.Status422UnprocessableEntity);
        }

        if (node.MasterMeter is { } claimed && await store.ClaimMasterMeterAsync(claimed.MeterNo.Value, code, ct) is { } holder)
        {
            return RequestJson.Invalid([new ValidationError("masterMeter.meterNo", holder.StartsWith("area ", StringComparison.Ordinal) ? "master-meter-of-another-area" : "meter-belongs-to-other-account",
                $"Meter '{claimed.MeterNo}' is already in the archive ({holder}); a master meter number must be unique.")], StatusCodes.Status409Conflict);
        }

        bool created = await store.UpsertNodeAsync(node, ct);
        return new ObjectResult(ToDto(node)) { StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK };
    }

    [Function(nameof(GetNetworkTree))]
    public async Task<IActionResult> GetNetworkTree(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "network/tree")] HttpRequest request)
    {
        IReadOnlyList<NetworkNode> nodes = await store.NetworkAsync(request.HttpContext.RequestAborted);
        ILookup<string, NetworkNode> children = nodes.Where(n => n.Level != NetworkLevel.Substation).ToLookup(n => $"{n.Level}|{n.ParentCode}");
        NetworkTreeDto tree = new(nodes.Where(n => n.Level == NetworkLevel.Substation).OrderBy(n => n.Code, StringComparer.Ordinal)
            .Select(s => new SubstationNodeDto(s.Code, s.Name, children[$"{NetworkLevel.Feeder}|{s.Code}"].OrderBy(f => f.Code, StringComparer.Ordinal)
                .Select(f => new FeederNodeDto(f.Code, f.Name, children[$"{NetworkLevel.TransformerArea}|{f.Code}"].OrderBy(a => a.Code, StringComparer.Ordinal)
                    .Select(a => new AreaNodeDto(a.Code, a.Name, a.RatedKva, MasterMeterDto.FromDomain(a.MasterMeter))).ToList())).ToList())).ToList());
        return new OkObjectResult(tree);
    }

    static object ToDto(NetworkNode node) => node.Level switch
    {
        NetworkLevel.Substation => new { level = "substation", node.Code, node.Name },
        NetworkLevel.Feeder => new { level = "feeder", node.Code, node.Name, substationCode = node.ParentCode },
        _ => new { level = "area", node.Code, node.Name, feederCode = node.ParentCode, node.RatedKva, masterMeter = MasterMeterDto.FromDomain(node.MasterMeter) },
    };
}
