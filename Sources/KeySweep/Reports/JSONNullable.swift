/// An optional that JSON output always writes: `null` when absent, never a missing key, so every
/// documented key is present in every report and plan. (Synthesized `Encodable` drops nil keys.)
@propertyWrapper
package struct JSONNullable<Value: Encodable & Sendable>: Encodable, Sendable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension JSONNullable: Equatable where Value: Equatable {}

/// Read back: `null` and a missing key are both nil.
extension JSONNullable: Decodable where Value: Decodable {
    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// Synthesized decoding of a `@JSONNullable` field whose key is absent.
    package func decode<T: Decodable>(_ type: JSONNullable<T>.Type, forKey key: Key) throws -> JSONNullable<T> {
        try decodeIfPresent(type, forKey: key) ?? JSONNullable(wrappedValue: nil)
    }
}
