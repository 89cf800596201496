/// Wraps escape sequences for tmux's passthrough (`DCS tmux; … ST`, every ESC doubled).
///
/// tmux forwards such sequences to the outer terminal only with `set -g allow-passthrough on`
/// (tmux ≥ 3.3); otherwise it drops them, which is why detection prefers cell blitters inside
/// tmux unless the protocol is forced. tmux also discards any single sequence longer than its
/// input buffer limit (``inputBufferLimit``, 1 MiB in input.c), so large sixels must be checked
/// against it before sending.
public enum TmuxPassthrough {
    public static let inputBufferLimit = 1 << 20

    public static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1B, 0x50, 0x74, 0x6D, 0x75, 0x78, 0x3B]   // ESC P tmux;
        out.reserveCapacity(bytes.count + bytes.count / 64 + 16)
        for b in bytes {
            if b == 0x1B { out.append(0x1B) }
            out.append(b)
        }
        out.append(0x1B); out.append(0x5C)
        return out
    }
}
