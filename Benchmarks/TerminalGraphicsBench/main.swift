import TerminalGraphics

// Benchmark harness for the TerminalGraphics encoders (see Benchmarks/terminal-graphics/README).
print("TerminalGraphics \(TerminalGraphicsModule.version)")
