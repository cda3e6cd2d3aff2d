namespace HealthAI.AppHost.Publishing.Kubernetes;

/// <summary>Helpers to build ordered Kubernetes objects; null entries are left out when written.</summary>
internal static class KubernetesObjects
{
    public const string PartOf = "healthai";

    public static OrderedDictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new OrderedDictionary<string, object?>(entries.Length);
        foreach (var (key, value) in entries)
        {
            map.Add(key, value);
        }

        return map;
    }

    /// <summary>A YAML list of scalars.</summary>
    public static string[] List(params string[] items) => items;

    public static OrderedDictionary<string, object?> Object(string apiVersion, string kind, string name, params (string Key, object? Value)[] body) =>
        Object(apiVersion, kind, name, component: name, body);

    /// <summary>An object named <paramref name="name"/> that belongs to the resource <paramref name="component"/> (its labels say so).</summary>
    public static OrderedDictionary<string, object?> Object(string apiVersion, string kind, string name, string component, params (string Key, object? Value)[] body)
    {
        var map = Map(("apiVersion", apiVersion), ("kind", kind), ("metadata", Map(("name", name), ("labels", Labels(component)))));
        foreach (var (key, value) in body)
        {
            map.Add(key, value);
        }

        return map;
    }

    /// <summary>Labels on every object; the first one alone is the selector.</summary>
    public static OrderedDictionary<string, object?> Labels(string component) =>
        Map(("app.kubernetes.io/name", component), ("app.kubernetes.io/part-of", PartOf));

    public static OrderedDictionary<string, object?> Selector(string component) => Map(("app.kubernetes.io/name", component));

    public static OrderedDictionary<string, object?> HttpProbe(string path, string port, int initialDelaySeconds, int periodSeconds, int failureThreshold) =>
        Map(
            ("httpGet", Map(("path", path), ("port", port))),
            ("initialDelaySeconds", initialDelaySeconds == 0 ? null : initialDelaySeconds),
            ("periodSeconds", periodSeconds),
            ("timeoutSeconds", 2),
            ("failureThreshold", failureThreshold));

    /// <summary>Non-root, read-only root filesystem, no privilege escalation, every capability dropped.</summary>
    public static OrderedDictionary<string, object?> ContainerSecurityContext() =>
        Map(
            ("allowPrivilegeEscalation", false),
            ("readOnlyRootFilesystem", true),
            ("runAsNonRoot", true),
            ("capabilities", Map(("drop", List("ALL")))));

    public static OrderedDictionary<string, object?> PodSecurityContext(int user) =>
        Map(
            ("runAsNonRoot", true),
            ("runAsUser", user),
            ("runAsGroup", user),
            ("fsGroup", user),
            ("seccompProfile", Map(("type", "RuntimeDefault"))));
}
