/// A data set being built for writing: elements keyed by tag, written in ascending tag order.
///
/// This is the writer's counterpart of the parsed `DataSet` (which is a view into a file's bytes).
/// Values stay typed until `DataSetEncoder` turns them into bytes, so padding, character set and
/// length rules are applied in one place.
public struct WritableDataSet: Sendable, Equatable {
    public private(set) var elements: [Tag: WritableElement] = [:]

    public init() {}

    public subscript(tag: Tag) -> WritableElement? {
        get { elements[tag] }
        set { elements[tag] = newValue }
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var count: Int { elements.count }

    /// Elements in the order they are written.
    public var sorted: [(tag: Tag, element: WritableElement)] {
        elements.keys.sorted().map { ($0, elements[$0]!) }
    }

    public mutating func set(_ tag: Tag, _ vr: VR, _ value: WritableValue) {
        elements[tag] = WritableElement(vr: vr, value: value)
    }

    /// Sets a single text value (an empty string writes a zero-length element, as Type 2 attributes need).
    public mutating func set(_ tag: Tag, _ vr: VR, _ text: String) {
        set(tag, vr, .text(text.isEmpty ? [] : [text]))
    }

    public mutating func set(_ tag: Tag, _ vr: VR, strings: [String]) {
        set(tag, vr, .text(strings))
    }

    public mutating func set(_ tag: Tag, sequence items: [WritableDataSet]) {
        set(tag, .SQ, .sequence(items))
    }

    public mutating func remove(_ tag: Tag) { elements[tag] = nil }

    /// The text of an element set as `.text`, joined with `\` (for tests and for callers that build up items).
    public func string(_ tag: Tag) -> String? {
        if case let .text(values)? = elements[tag]?.value { return values.joined(separator: "\\") }
        return nil
    }

    /// Items of a sequence element set here.
    public func items(_ tag: Tag) -> [WritableDataSet] {
        if case let .sequence(items)? = elements[tag]?.value { return items }
        return []
    }
}
