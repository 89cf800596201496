/// The value of an element to be written: text, binary numbers, raw bytes or a sequence of items.
///
/// The VR the element is written with decides how each case is encoded (see `ValueEncoder`); a case
/// that does not fit the VR (text for a US element, say) is refused when the data set is encoded.
public enum WritableValue: Sendable, Equatable {
    /// Text values, joined with `\` when written (one value for LT, ST, UT, UR).
    case text([String])
    /// Raw bytes (OB, UN, or a pre-encoded value of any binary VR), written in the given order.
    case bytes([UInt8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case float64([Double])
    /// Attribute tags (AT).
    case tags([Tag])
    /// Items of a sequence (SQ); written with defined lengths.
    case sequence([WritableDataSet])
}

/// One element to be written: its VR and its value.
public struct WritableElement: Sendable, Equatable {
    public var vr: VR
    public var value: WritableValue
    public init(vr: VR, value: WritableValue) { self.vr = vr; self.value = value }
}
