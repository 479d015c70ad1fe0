import Foundation
import NIOCore
import Vapor

/// One field of a posted form, as sent.
struct FormPair: Sendable, Equatable {
    var key: String
    var value: String
}

/// `application/x-www-form-urlencoded` read at the byte level. Vapor's decoder works through Foundation
/// strings and showed as the largest single cost of an autosave; this reads the body once, into pairs that
/// the CSRF check and the form share. Malformed percent escapes are kept as written; invalid UTF-8 becomes
/// U+FFFD; NULs are dropped (see `NULBytes`).
enum URLEncodedForm {
    static func parse(_ bytes: some Collection<UInt8>) -> [FormPair] {
        var pairs: [FormPair] = []
        var key: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        func flush() {
            if !key.isEmpty || !value.isEmpty || inValue {
                pairs.append(FormPair(key: decode(key), value: decode(value)))
            }
            key.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            inValue = false
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): flush()
            case UInt8(ascii: "=") where !inValue: inValue = true
            default: if inValue { value.append(byte) } else { key.append(byte) }
            }
        }
        flush()
        return pairs
    }

    static func decode(_ raw: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < raw.count, let high = hex(raw[index + 1]),
                let low = hex(raw[index + 2])
            {
                if high << 4 | low != 0 { out.append(high << 4 | low) }
                index += 2
            } else if byte != 0 {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Request {
    private struct PairsKey: StorageKey { typealias Value = [FormPair] }

    /// The posted form's fields when the body is URL-encoded (and already collected); parsed once.
    var urlEncodedPairs: [FormPair]? {
        if let cached = storage[PairsKey.self] { return cached }
        guard headers.contentType == .urlEncodedForm, let body = body.data else { return nil }
        let pairs = URLEncodedForm.parse(body.readableBytesView)
        storage[PairsKey.self] = pairs
        return pairs
    }

    /// The posted form as one value per name (the last, where a name repeats); empty when there is none.
    var formFields: [String: String] { FormPair.fields(urlEncodedPairs ?? []) }

    /// The query string's parameters, read like a form (one value per name, the last where one repeats).
    var queryFields: [String: String] { FormPair.fields(url.query.map { URLEncodedForm.parse(Array($0.utf8)) } ?? []) }
}

extension FormPair {
    /// Pairs as one value per name, the last where a name repeats.
    static func fields(_ pairs: [FormPair]) -> [String: String] {
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
