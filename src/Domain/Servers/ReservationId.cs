namespace Nova.Domain.Servers;

/// <summary>
/// Nova's reservation id (<c>r-xxxxxxxx</c>): one per create request, shared by every server of a multi-create. It is
/// named after what identifies the request (servers created before it was recorded on their create event: the
/// request id), so the create's answer and the server list's <c>reservation_id</c> filter agree.
/// </summary>
public static class ReservationId
{
    public static string For(string request) => $"r-{NameBasedId.From("nova-reservation:" + request).ToString("N")[..8]}";
}
