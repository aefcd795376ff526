using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nova.Api.Http;

/// <summary>
/// Text PostgreSQL can store: no NUL (text and jsonb refuse U+0000) and no lone UTF-16 surrogate (not encodable in
/// UTF-8). Request bodies, query strings and route values are checked here once, so no handler meets such a string.
/// </summary>
public static class StorableText
{
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>Every key and string value of a body (400 naming the field otherwise).</summary>
    public static void RequireIn(JsonNode? node, string field = "body")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (!IsStorable(key)) throw Refused("body");
                    RequireIn(value, key);
                }
                break;
            case JsonArray a:
                foreach (var item in a) RequireIn(item, field);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                string text;
                // The reader refuses to decode an escaped lone surrogate into a string.
                try { text = v.GetValue<string>(); }
                catch (InvalidOperationException) { throw Refused(field); }
                if (!IsStorable(text)) throw Refused(field);
                break;
        }
    }

    public static NovaError Refused(string field) =>
        NovaError.BadRequest($"Invalid input for field/attribute {field}. Value: contains a NUL character or an unpaired UTF-16 surrogate.");
}
