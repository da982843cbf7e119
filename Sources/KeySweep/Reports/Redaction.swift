/// Shortens a secret so it can be recognised but not used.
public enum Redaction {
    public static func redact(_ secret: String) -> String {
        let characters = Array(secret)
        guard characters.count >= 12 else { return String(repeating: "*", count: min(characters.count, 8)) }
        let keep = characters.count >= 20 ? 4 : 2
        return String(characters.prefix(keep)) + "…" + String(characters.suffix(2))
    }
}
