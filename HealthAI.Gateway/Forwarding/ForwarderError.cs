namespace HealthAI.Gateway.Forwarding;

/// <summary>How a forwarded request failed (the members mirror YARP's <c>ForwarderError</c> that this forwarder can produce).</summary>
public enum ForwarderError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The destination could not be reached or failed before answering (502).</summary>
    Request,

    /// <summary>The destination did not answer within the activity timeout (504).</summary>
    RequestTimedOut,

    /// <summary>The client went away while the request was being sent; nothing is answered.</summary>
    RequestCanceled,

    /// <summary>The destination's response body failed after the headers were sent; the connection is aborted.</summary>
    ResponseBodyDestination,

    /// <summary>The client went away while the response was being copied.</summary>
    ResponseBodyCanceled,

    /// <summary>The cluster has no resolvable destination (503).</summary>
    NoAvailableDestinations,
}
