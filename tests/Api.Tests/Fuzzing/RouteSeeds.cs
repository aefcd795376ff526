using System.Text.Json.Nodes;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>
/// A plausible body per route (method and template), the start the mutations grow from, so that hostile values
/// reach the validation behind the first check. Routes without a seed get an object with a few usual keys.
/// </summary>
public static class RouteSeeds
{
    public static JsonNode For(string route, Random rng, FuzzTargets t)
    {
        JsonNode[] seeds = route switch
        {
            "POST /v2.1/servers" =>
            [
                Parse($$$"""{"server": {"name": "fuzz", "flavorRef": "1", "imageRef": "{{{t.Image}}}", "networks": "none", "metadata": {"k": "v"}, "min_count": 1, "max_count": 1, "availability_zone": "nova", "return_reservation_id": false}, "os:scheduler_hints": {"group": "{{{t.Group}}}"}}"""),
                Parse($$$"""{"server": {"name": "fuzz", "flavorRef": "{{{t.PrivateFlavor}}}", "imageRef": "{{{t.Image}}}", "networks": "none"}}"""),
            ],
            "POST /v2.1/servers/{id}/action" =>
            [
                Parse("""{"os-stop": null}"""), Parse("""{"os-start": null}"""), Parse("""{"reboot": {"type": "SOFT"}}"""),
                Parse("""{"lock": {"locked_reason": "maintenance"}}"""), Parse("""{"unlock": null}"""),
                Parse("""{"os-getConsoleOutput": {"length": 10}}"""), Parse("""{"os-resetState": {"state": "active"}}"""),
                Parse($$$"""{"rescue": {"adminPass": "p", "rescue_image_ref": "{{{t.Image}}}"}}"""), Parse("""{"unrescue": null}"""),
                Parse("""{"pause": null}"""), Parse("""{"unpause": null}"""), Parse("""{"suspend": null}"""), Parse("""{"resume": null}"""),
                Parse("""{"shelve": null}"""), Parse("""{"shelveOffload": null}"""), Parse("""{"unshelve": {"availability_zone": "nova"}}"""),
                Parse("""{"resize": {"flavorRef": "2"}}"""), Parse("""{"createImage": {"name": "snap", "metadata": {"a": "b"}}}"""),
            ],
            "POST /v2.1/flavors" =>
            [
                Parse("""{"flavor": {"name": "fz", "ram": 64, "vcpus": 1, "disk": 1, "OS-FLV-EXT-DATA:ephemeral": 0, "swap": 0, "rxtx_factor": 1.0, "os-flavor-access:is_public": true, "description": "d"}}"""),
                Parse("""{"flavor": {"name": "fz", "id": "fz-1", "ram": 64, "vcpus": 1, "disk": 2147483647, "OS-FLV-EXT-DATA:ephemeral": 2147483647}}"""),
            ],
            "PUT /v2.1/flavors/{id}" => [Parse("""{"flavor": {"description": "d"}}""")],
            "POST /v2.1/flavors/{id}/os-extra_specs" => [Parse("""{"extra_specs": {"hw:cpu_policy": "shared", "quota:n": 1}}""")],
            "PUT /v2.1/flavors/{id}/os-extra_specs/{key}" => [Parse("""{"hw:cpu_policy": "shared"}""")],
            "POST /v2.1/flavors/{id}/action" =>
            [
                Parse("""{"addTenantAccess": {"tenant": "fz-project"}}"""), Parse("""{"removeTenantAccess": {"tenant": "fz-project"}}"""),
            ],
            "PUT /v2.1/os-quota-sets/{project}" => [Parse("""{"quota_set": {"instances": 10, "cores": 20, "ram": 51200, "force": false}}""")],
            "PUT /v2.1/os-quota-class-sets/{id}" => [Parse("""{"quota_class_set": {"instances": 12, "cores": 20, "metadata_items": 128}}""")],
            "POST /v2.1/os-server-groups" =>
            [
                Parse("""{"server_group": {"name": "g", "policies": ["affinity"]}}"""),
                Parse("""{"server_group": {"name": "g", "policy": "anti-affinity", "rules": {"max_server_per_host": 2}}}"""),
            ],
            "PUT /v2.1/os-services/{id}" => [Parse("""{"status": "disabled", "disabled_reason": "r", "forced_down": true}""")],
            "POST /v2.1/os-aggregates" or "PUT /v2.1/os-aggregates/{id}" => [Parse("""{"aggregate": {"name": "rack", "availability_zone": "z1"}}""")],
            "POST /v2.1/os-aggregates/{id}/action" =>
            [
                Parse("""{"add_host": {"host": "fake-1"}}"""), Parse("""{"remove_host": {"host": "fake-1"}}"""),
                Parse("""{"set_metadata": {"metadata": {"rack": "r1", "gone": null}}}"""),
            ],
            "POST /image/v2/images" =>
            [
                Parse("""{"name": "img", "disk_format": "raw", "container_format": "bare", "visibility": "private", "min_disk": 0, "min_ram": 0}"""),
            ],
            _ => [Parse("""{"name": "x", "id": "1", "metadata": {"a": "b"}}""")],
        };
        return seeds[rng.Next(seeds.Length)].DeepClone();
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
