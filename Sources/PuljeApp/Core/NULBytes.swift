import Foundation
import MultipartKit
import NIOCore
import Vapor

/// No text in Pulje holds a NUL character: no one types one, and PostgreSQL refuses to store one (SQLite
/// keeps it, so the two databases would differ). Every form and JSON body loses its NULs before it is decoded,
/// here in one place: the decoders of `ContentConfiguration` are wrapped at start-up, and `URLEncodedForm`
/// (the autosave's and the CSRF check's reader) drops them too. Files keep their bytes: in a multipart body
/// only the parts without a file name are text.
enum NULBytes {
    /// Wraps the configured decoders of forms, uploads and JSON.
    static func dropFromRequestBodies(_ configuration: inout ContentConfiguration) throws {
        for (type, clean) in [
            (HTTPMediaType.urlEncodedForm, urlEncoded), (.json, json), (.formData, multipart),
        ] as [(HTTPMediaType, @Sendable (ByteBuffer, HTTPHeaders) -> ByteBuffer)] {
            let inner = try configuration.requireDecoder(for: type)
            if inner is Dropping { continue }  // wrapped already (each test configures an application)
            configuration.use(decoder: Dropping(inner: inner, clean: clean), for: type)
        }
    }

    struct Dropping: ContentDecoder {
        let inner: any ContentDecoder
        let clean: @Sendable (ByteBuffer, HTTPHeaders) -> ByteBuffer

        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try inner.decode(D.self, from: clean(body, headers), headers: headers)
        }

        func decode<D: Decodable>(
            _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
            userInfo: [CodingUserInfoKey: any Sendable]
        ) throws -> D {
            try inner.decode(D.self, from: clean(body, headers), headers: headers, userInfo: userInfo)
        }
    }

    /// `a=b%00c` → `a=bc`; a raw NUL byte goes too. (`%2500` is a percent sign and two zeros, and stays.)
    @Sendable static func urlEncoded(_ body: ByteBuffer, _ headers: HTTPHeaders) -> ByteBuffer {
        let bytes = Array(body.readableBytesView)
        guard bytes.contains(0) || containsEscapedNUL(bytes) else { return body }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0 {
                index += 1
            } else if isEscapedNUL(bytes, at: index) {
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return ByteBuffer(bytes: out)
    }

    static func isEscapedNUL(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == UInt8(ascii: "%") && bytes[index + 1] == UInt8(ascii: "0")
            && bytes[index + 2] == UInt8(ascii: "0")
    }

    static func containsEscapedNUL(_ bytes: [UInt8]) -> Bool {
        bytes.indices.contains { isEscapedNUL(bytes, at: $0) }
    }

    /// `"a\u0000b"` → `"ab"`, where the backslash is an escape (not itself escaped); raw NUL bytes go too
    /// (they make the JSON invalid, and the decoder says so).
    @Sendable static func json(_ body: ByteBuffer, _ headers: HTTPHeaders) -> ByteBuffer {
        let bytes = Array(body.readableBytesView)
        let escape = Array("\\u0000".utf8)
        guard bytes.contains(0) || bytes.firstRange(of: escape) != nil else { return body }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var backslashes = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\\"), backslashes % 2 == 0, bytes[index...].starts(with: escape) {
                index += escape.count
                continue
            }
            backslashes = byte == UInt8(ascii: "\\") ? backslashes + 1 : 0
            out.append(byte)
            index += 1
        }
        return ByteBuffer(bytes: out)
    }

    /// The text parts of a multipart body without NULs, written again with the same boundary; a body that
    /// does not parse is passed on as it came (the decoder refuses it).
    @Sendable static func multipart(_ body: ByteBuffer, _ headers: HTTPHeaders) -> ByteBuffer {
        guard let boundary = headers.contentType?.parameters["boundary"], body.readableBytesView.contains(0) else {
            return body
        }
        var parts: [MultipartPart] = []
        var current = MultipartPart(body: ByteBuffer())
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in current.headers.add(name: name, value: value) }
        parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(current)
            current = MultipartPart(body: ByteBuffer())
        }
        do { try parser.execute(body) } catch { return body }
        let cleaned = parts.map { part -> MultipartPart in
            let disposition = part.headers.first(name: .contentDisposition) ?? ""
            guard !disposition.contains("filename") else { return part }
            return MultipartPart(
                headers: part.headers, body: ByteBuffer(bytes: part.body.readableBytesView.filter { $0 != 0 }))
        }
        var out = ByteBuffer()
        do { try MultipartSerializer().serialize(parts: cleaned, boundary: boundary, into: &out) } catch { return body }
        return out
    }
}
