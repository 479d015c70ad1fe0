/// Where a page may send a user after signing in (`?naeste=`): only a path on this site.
public enum LocalRedirect {
    /// The path when it is safe to put in a `Location` header, else nil. Safe means: it starts with a single
    /// "/" followed by a path character (never "//host" or "/\host", which browsers read as another
    /// origin), and it holds only printable ASCII (no control character that could end the header or that
    /// browsers strip, turning "/\t/host" into "//host"; no space, no backslash). At most 2.000 characters.
    public static func path(_ candidate: String?) -> String? {
        guard let candidate, candidate.utf8.count <= 2_000 else { return nil }
        let bytes = Array(candidate.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return nil }
        guard bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }) else { return nil }
        if bytes.count > 1 && bytes[1] == UInt8(ascii: "/") { return nil }
        return candidate
    }
}
