/// A JSON object that keeps its members in insertion order, with lookup by key.
///
/// Keys are unique: setting an existing key replaces its value in place (its position is kept),
/// which is also what parsing does with a duplicated key (the last value wins, at the first
/// position). Equality and hashing ignore member order, as JSON's object semantics do;
/// serialization follows it.
public struct JSONObject: Sendable {
    /// One member: a key and its value.
    public typealias Member = (key: String, value: JSONValue)

    /// Members in order.
    private var members: [Member] = []
    /// Key → position in `members`; only built for objects larger than `linearLookupLimit`.
    private var positions: [String: Int] = [:]

    /// Up to this many members a lookup scans linearly (cheaper than hashing for small objects).
    private static let linearLookupLimit = 8

    /// An empty object.
    public init() {}

    /// An object from key/value pairs in order; a repeated key keeps its first position and last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in key order.
    public var values: [JSONValue] { members.map(\.value) }

    /// Whether `key` is a member.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The value of `key`; setting `nil` removes the member, setting a value appends or replaces it in place.
    public subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { members[$0].value }
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    rebuildPositions()
                }
            } else if let newValue {
                members.append((key, newValue))
                if members.count > Self.linearLookupLimit {
                    if positions.isEmpty {
                        rebuildPositions()
                    } else {
                        positions[key] = members.count - 1
                    }
                }
            }
        }
    }

    /// Removes `key` and returns its value, if it was a member.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = self[key]
        self[key] = nil
        return old
    }

    /// Appends `value` under `key` when absent, or replaces the existing value in place.
    public mutating func set(_ key: String, _ value: JSONValue) {
        self[key] = value
    }

    private func position(of key: String) -> Int? {
        if members.count > Self.linearLookupLimit {
            return positions[key]
        }
        return members.firstIndex { $0.key == key }
    }

    private mutating func rebuildPositions() {
        positions.removeAll(keepingCapacity: true)
        guard members.count > Self.linearLookupLimit else { return }
        positions.reserveCapacity(members.count)
        for (i, member) in members.enumerated() {
            positions[member.key] = i
        }
    }
}

extension JSONObject: RandomAccessCollection {
    public typealias Element = Member
    public typealias Index = Int

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }

    /// The member at `position`, in insertion order.
    public subscript(position: Int) -> Member { members[position] }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Hashable {
    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.members {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        // Order-independent: combine the members' own hashes commutatively.
        var sum = 0
        for (key, value) in members {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            sum &+= memberHasher.finalize()
        }
        hasher.combine(sum)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of this object.
    public var description: String { JSONValue.object(self).description }
}
