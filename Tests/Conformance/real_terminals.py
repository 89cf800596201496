#!/usr/bin/env python3
"""Pixel graphics in real terminals under Xvfb: sixel in xterm (VT340 emulation), kitty graphics in kitty.

`lightbox render --protocol sixel` draws a chest radiograph inside a real xterm; a screenshot of the
X screen (xwd → netpbm) must show an image of the expected pixel size in the top-left corner whose
grey values correlate with `lightbox export-png` of the same file (the reference rendering, scaled
to the drawn size). Then the workstation itself (`lightbox open --protocol sixel`) is opened in the
same terminal on that study and its viewer must put image pixels on the screen.

Kitty: `lightbox render --protocol kitty` in a real kitty (software OpenGL) must put an image that
matches the reference on the screen, and nothing of the terminal's answers to our capability
queries may be echoed as text.

Cell by cell (sixel in xterm): the worklist, the CT viewer with its findings, the mammography hanging
and a teaching case are opened with LIGHTBOX_SCREEN_DUMP set, so the workstation writes the text of
the frame it drew. The same text is then drawn without images (and without colours) in a second
terminal of the same kind and size. (Not in kitty: under Xvfb it renders with Mesa's software GL,
and its glyphs come out striped and overlapping even in plain text.) In every cell outside the image placements the two screenshots must have
the same ink (the pixels that differ from the cell's background): the terminal shows exactly the
characters the in-memory screen holds, and no glyph where it holds a blank. Inside each placement
the image must be there.

kitty → tmux: `lightbox render --protocol kitty` inside tmux draws with Unicode placeholders. tmux's own
grid (capture-pane) must hold the U+10EEEE cells with row/column diacritics in order and one 24-bit id
colour; in a real kitty running that tmux the screenshot must match the reference, also after a tmux
window switch. kitty before 0.28 has no placeholders: that screenshot check is reported as SKIP.

Needs Xvfb, xterm, kitty, xwd, xdotool and netpbm (Debian: xvfb xterm kitty x11-apps xdotool netpbm;
the Makefile installs them).
Prints "N passed, M failed"; exits non-zero on failure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.path.abspath(os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox")))
STUDY = os.path.join(ROOT, "SampleStudies/07_CXR_YAMADA_2026")
CELL_W, CELL_H = 6, 13  # xterm's default "fixed" font
COLS, ROWS = 40, 15
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}{': ' + detail if detail else ''}")


def read_pnm(data):
    """A binary PGM (P5) or PPM (P6) as a float grey array."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    magic, w, h, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    dtype = np.uint8 if maxval < 256 else ">u2"
    channels = 3 if magic == b"P6" else 1
    a = np.frombuffer(data, dtype=dtype, count=w * h * channels, offset=pos).astype(np.float64)
    a = a.reshape(h, w, channels)
    return a.mean(axis=2)


def screenshot(display):
    xwd = subprocess.run(["xwd", "-root", "-display", display], capture_output=True, check=True).stdout
    pnm = subprocess.run(["xwdtopnm"], input=xwd, capture_output=True, check=True).stdout
    return read_pnm(pnm)


def resize_area(a, h, w):
    """Box-average `a` down to h×w (enough for a correlation check)."""
    ys = np.linspace(0, a.shape[0], h + 1).astype(int)
    xs = np.linspace(0, a.shape[1], w + 1).astype(int)
    out = np.zeros((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = a[ys[i]:max(ys[i + 1], ys[i] + 1), xs[j]:max(xs[j + 1], xs[j] + 1)].mean()
    return out


def lit_crop(a, threshold=8):
    """`a` cropped to the bounding box of its pixels brighter than `threshold` (None if none)."""
    lit = np.argwhere(a > threshold)
    if len(lit) == 0:
        return None
    (y0, x0), (y1, x1) = lit.min(axis=0), lit.max(axis=0) + 1
    return a[y0:y1, x0:x1]


def similarity(drawn, ref):
    """Correlation of the lit parts of two renderings of the same image, on a common 32×32 grid."""
    d, r = lit_crop(drawn), lit_crop(ref)
    if d is None or r is None or min(d.shape) < 8:
        return 0.0
    return float(np.corrcoef(resize_area(r, 32, 32).ravel(), resize_area(d, 32, 32).ravel())[0, 1])


def screenshot_rgb(display):
    """The X screen as one int per pixel (0xRRGGBB): grey would merge colours of equal brightness."""
    xwd = subprocess.run(["xwd", "-root", "-display", display], capture_output=True, check=True).stdout
    pnm = subprocess.run(["xwdtopnm"], input=xwd, capture_output=True, check=True).stdout
    header = pnm.split(b"\n", 3)
    w, h = map(int, header[1].split())
    a = np.frombuffer(header[3], dtype=np.uint8, count=w * h * 3).reshape(h, w, 3).astype(np.int64)
    return a[..., 0] << 16 | a[..., 1] << 8 | a[..., 2]


def read_screen_dump(path):
    """(columns, rows, image rectangles as (row, column, rows, columns), text rows, (cell width, height) or
    None) of a LIGHTBOX_SCREEN_DUMP file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines[0] != "lightbox-screen 1":
        raise ValueError(f"not a screen dump: {lines[0]!r}")
    columns, rows = map(int, lines[1].split())
    i, images, cell = 2, [], None
    if lines[i].startswith("cell "):
        cell = tuple(map(int, lines[i].split()[1:]))
        i += 1
    while lines[i].startswith("image "):
        images.append(tuple(map(int, lines[i].split()[1:])))
        i += 1
    return columns, rows, images, lines[i + 1:i + 1 + rows], cell


def cell_ink(block):
    """The pixels of a cell that are more glyph than background: background is the cell's most common
    colour, and a pixel's share of glyph is its distance from it over the farthest pixel's (kitty
    blends glyph edges into whatever background the cell has; xterm's bitmap font has no blend)."""
    values, counts = np.unique(block, return_counts=True)
    bg = values[counts.argmax()]
    rgb = np.stack([(block >> 16) & 255, (block >> 8) & 255, block & 255], -1).astype(np.float64)
    back = np.array([(bg >> 16) & 255, (bg >> 8) & 255, bg & 255], dtype=np.float64)
    distance = np.sqrt(((rgb - back) ** 2).sum(-1))
    far = distance.max()
    return distance > 0.5 * far if far > 0 else np.zeros(block.shape, dtype=bool)


def same_ink(a, b, slack=0):
    """Whether two cells carry the same glyph: their ink differs in at most `slack` pixels (0 for a
    bitmap font; edge pixels of a blended glyph can fall either side of half)."""
    return int((cell_ink(a) != cell_ink(b)).sum()) <= slack


def screen_cells(label, argv, keys, env, display, terminal, work, cell_size=(CELL_W, CELL_H)):
    """Opens `argv` in `terminal` (a command prefix) with a screen dump, presses `keys`, and compares a
    settled frame's screenshot cell by cell (`same_ink`) with the dumped text drawn alone in a second terminal of
    the same kind (see the module doc). The cell size is the one the terminal reported (in the dump),
    else `cell_size`; the text's origin is the offset within 2 px where the two screenshots agree
    best (xterm's is one pixel in from the window's corner)."""
    dump = os.path.join(work, "screen.txt")
    for leftover in (dump, dump + ".tmp"):
        if os.path.exists(leftover):
            os.remove(leftover)
    term = subprocess.Popen(terminal + ["sh", "-c", f"cd '{work}' && exec {argv}"], env=dict(env, LIGHTBOX_SCREEN_DUMP=dump),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if os.path.exists(dump):
                break
            time.sleep(0.1)
        if not os.path.exists(dump):
            check(f"{label}: the workstation wrote its screen (LIGHTBOX_SCREEN_DUMP)", False, "no dump after 30 s")
            return
        time.sleep(2.0)
        for key in keys:
            subprocess.run(["xdotool", "key", key], env=env, capture_output=True)
            time.sleep(2.5)
        # A settled frame: nothing loading, no new frame for 2 s before the screenshot, none during it.
        shot, stamp = None, None
        for _ in range(240):
            stamp = os.stat(dump).st_mtime_ns
            settled = "loading" not in open(dump, encoding="utf-8").read().lower()
            if settled and time.time() - stamp / 1e9 >= 2.0:
                shot = screenshot_rgb(display)
                if os.stat(dump).st_mtime_ns == stamp:
                    break
                shot = None
            time.sleep(0.5)
        if shot is None:
            check(f"{label}: a settled frame to compare", False, "still loading or changing after 120 s")
            return
        columns, rows, images, text, reported = read_screen_dump(dump)
    finally:
        term.kill()
        time.sleep(0.5)
    plain = os.path.join(work, "plain.txt")
    with open(plain, "w", encoding="utf-8") as f:
        f.write("\033[?25l\033[?7l\033[2J" + "".join(f"\033[{r + 1};1H{line}" for r, line in enumerate(text)))
    term = subprocess.Popen(terminal + ["sh", "-c", f"cat '{plain}'; sleep 60"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.5)
        reference = screenshot_rgb(display)
    finally:
        term.kill()
        time.sleep(0.5)
    cw, ch = reported or cell_size
    def in_image(r, c):
        return any(ir <= r < ir + nr and ic <= c < ic + nc for ir, ic, nr, nc in images)
    def differing(y0, x0):
        out = []
        for r in range(rows):
            for c in range(columns):
                if in_image(r, c):
                    continue
                area = (slice(y0 + r * ch, y0 + (r + 1) * ch), slice(x0 + c * cw, x0 + (c + 1) * cw))
                if not same_ink(shot[area], reference[area]):
                    out.append(f"({r},{c}) {text[r][c:c + 1]!r}" if c < len(text[r]) else f"({r},{c})")
        return out
    if rows * ch + 2 > shot.shape[0] or columns * cw + 2 > shot.shape[1]:
        check(f"{label}: the terminal fits the X screen", False, f"{columns}×{rows} cells of {cw}×{ch} px")
        return
    y0, x0 = min(((y, x) for y in range(3) for x in range(3)), key=lambda o: len(differing(*o)))
    wrong = differing(y0, x0)
    compared = rows * columns - sum(nr * nc for _, _, nr, nc in images)
    check(f"{label}: every cell outside the images shows the screen's text, blanks stay blank", not wrong,
          f"{len(wrong)} of {compared} cells differ: {', '.join(wrong[:8])}")
    drawn = [len(np.unique(shot[y0 + ir * ch:y0 + (ir + nr) * ch, x0 + ic * cw:x0 + (ic + nc) * cw]))
             for ir, ic, nr, nc in images]
    if images:
        check(f"{label}: every image placement is drawn", all(n > 16 for n in drawn), f"colours per placement {drawn}")
    print(f"# {label}: {compared} cells of {cw}×{ch} px compared (origin +{x0},+{y0}), {len(images)} image placement(s), "
          f"{len(wrong)} differ")


def free_display():
    for n in range(90, 140):
        if not os.path.exists(f"/tmp/.X{n}-lock") and not os.path.exists(f"/tmp/.X11-unix/X{n}"):
            return f":{n}"
    raise SystemExit("no free X display number")


def diacritic_table():
    """kitty's row/column diacritics, read from our Swift table (checked against kitty's in the unit tests)."""
    src = open(os.path.join(ROOT, "Sources/TerminalGraphics/KittyPlaceholderDiacritics.swift")).read()
    start = src.index("table: [UInt32] = [") + len("table: [UInt32] = [")
    body = src[start:src.index("]", start)]
    return [int(h, 16) for h in re.findall(r"0x([0-9A-Fa-f]+)", body)]


def placeholder_grid(text):
    """(row, column, colour) of every U+10EEEE cell in `tmux capture-pane -p -e` output, by screen line."""
    index = {cp: i for i, cp in enumerate(diacritic_table())}
    cells, colour = [], None   # tmux carries the colour over line ends without repeating it
    for line_no, line in enumerate(text.split("\n")):
        for m in re.finditer(r"\x1b\[([0-9;:]*)m|\U0010EEEE(.)(.)", line):
            if m.group(1) is not None:
                rgb = re.search(r"38[;:]2[;:]+(\d+)[;:](\d+)[;:](\d+)", m.group(1))
                if rgb:
                    colour = tuple(int(v) for v in rgb.groups())
                elif m.group(1) in ("", "0", "39"):
                    colour = None
            else:
                cells.append((line_no, index.get(ord(m.group(2))), index.get(ord(m.group(3))), colour))
    return cells


def kitty_version():
    out = subprocess.run(["kitty", "--version"], capture_output=True, text=True).stdout.split()
    try:
        return tuple(int(v) for v in out[1].split(".")[:2])
    except (IndexError, ValueError):
        return (0, 0)


def kitty_in_tmux(work, dicom, ref, kenv, display, terms):
    """`lightbox render --protocol kitty` inside tmux: the placeholder cells must be in tmux's own grid
    (what it redraws after pane switches and scrolling), and — in kitty ≥ 0.28 — the screen must show the image."""
    if not shutil.which("tmux"):
        check("tmux installed", False)
        return
    conf = os.path.join(work, "tmux.conf")
    with open(conf, "w") as f:
        f.write("set -g allow-passthrough on\nset -as terminal-features ',xterm-kitty:RGB'\n"
                "set -g default-terminal tmux-256color\nset -g status off\n")
    sock = f"lightbox-test-{os.getpid()}"
    tmux = ["tmux", "-u", "-L", sock, "-f", conf]
    tenv = {k: v for k, v in kenv.items() if k not in ("TMUX", "TMUX_PANE")}
    done = os.path.join(work, "tmux-rendered")
    inner = f"printf '\\033[?25l'; '{LIGHTBOX}' render --protocol kitty --size {COLS}x{ROWS} '{dicom}'; touch '{done}'; sleep 60"
    try:
        # 4a. tmux alone (detached): the pane's grid holds the placeholders, one image row per line.
        subprocess.run(tmux + ["new-session", "-d", "-x", "100", "-y", "40", "sh", "-c", inner], env=tenv, check=True)
        for _ in range(300):
            if os.path.exists(done):
                break
            time.sleep(0.1)
        time.sleep(0.5)
        captured = subprocess.run(tmux + ["capture-pane", "-p", "-e"], capture_output=True, env=tenv).stdout.decode("utf-8", "replace")
        cells = placeholder_grid(captured)
        lines = sorted({c[0] for c in cells})
        ordered = all(r == lines.index(line) and col is not None for line, r, col, _ in cells) and lines and \
            all([c[2] for c in cells if c[0] == line] == list(range(len([c for c in cells if c[0] == line]))) for line in lines)
        colours = {c[3] for c in cells}
        check("tmux keeps kitty placeholder cells as text (rows and columns in order)", len(cells) > 100 and ordered,
              f"{len(cells)} cells on {len(lines)} lines")
        check("every placeholder carries the image id as one 24-bit colour", len(colours) == 1 and None not in colours, f"{colours}")
        print(f"# tmux grid: {len(cells)} placeholder cells, {len(lines)} rows, id colour {colours}")
        subprocess.run(tmux + ["kill-server"], capture_output=True, env=tenv)
        os.remove(done)

        # 4b. A real kitty running tmux running lightbox: the screenshot must match the reference.
        version = kitty_version()
        terms.append(subprocess.Popen(["kitty", "--config", "NONE", "-o", "background=black", "-o", "foreground=white",
                                       "-o", "window_padding_width=0", "-o", "cursor=black"] + tmux + ["new-session", "sh", "-c", inner],
                                      env=tenv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(300):
            if os.path.exists(done):
                break
            time.sleep(0.1)
        check("kitty → tmux ran lightbox render", os.path.exists(done))
        time.sleep(2.0)
        region = screenshot(display)[:400, :500]
        r = similarity(region, ref)
        # Switch to another tmux window and back: tmux redraws the pane from its grid.
        subprocess.run(tmux + ["new-window", "sleep 30"], capture_output=True, env=tenv)
        time.sleep(1.0)
        subprocess.run(tmux + ["select-window", "-t", ":0"], capture_output=True, env=tenv)
        time.sleep(1.5)
        r2 = similarity(screenshot(display)[:400, :500], ref)
        print(f"# kitty {'.'.join(map(str, version))} → tmux: correlation with export-png r = {r:.3f}, after a window switch r = {r2:.3f}")
        if version < (0, 28):
            print(f"SKIP - kitty → tmux screenshot: kitty {'.'.join(map(str, version))} predates Unicode placeholders (0.28); "
                  "it draws U+10EEEE as a missing glyph, so the image cannot appear")
        else:
            check("kitty → tmux shows the image through placeholders and it matches the reference", r > 0.95, f"r = {r:.3f}")
            check("the image survives a tmux window switch", r2 > 0.95, f"r = {r2:.3f}")
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True, env=tenv)


def main():
    for tool in ("Xvfb", "xterm", "kitty", "xwd", "xwdtopnm", "pngtopnm", "xdotool"):
        if not shutil.which(tool):
            print(f"0 passed, 1 failed ({tool} not installed)")
            return 1
    dicom = sorted(os.path.join(STUDY, f) for f in os.listdir(STUDY) if f.endswith(".dcm"))[0]
    work = tempfile.mkdtemp(prefix="lightbox-xterm.")
    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    terms = []
    try:
        env = dict(os.environ, DISPLAY=display, XDG_CONFIG_HOME=os.path.join(work, "config"),
                   XDG_DATA_HOME=os.path.join(work, "data"), XDG_CACHE_HOME=os.path.join(work, "cache"))
        for _ in range(50):
            if subprocess.run(["xwd", "-root", "-display", display], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        xterm = ["xterm", "-ti", "vt340", "-xrm", "XTerm*decTerminalID: vt340", "-xrm", "XTerm*numColorRegisters: 256",
                 "-bg", "black", "-fg", "white", "-cr", "black", "-b", "0", "-geometry", "120x45+0+0", "-e"]

        # 1. One image with `lightbox render`: the sixel raster attributes give its pixel size.
        sixel = subprocess.run([LIGHTBOX, "render", "--protocol", "sixel", "--size", f"{COLS}x{ROWS}",
                                "--cell-size", f"{CELL_W}x{CELL_H}", dicom], capture_output=True, check=True).stdout
        raster = sixel[sixel.index(b'"') + 1:].split(b"#", 1)[0].split(b";")
        w, h = int(raster[2]), int(raster[3])
        check("sixel raster fits the requested cells", w <= COLS * CELL_W and h <= ROWS * CELL_H and
              max(w / (COLS * CELL_W), h / (ROWS * CELL_H)) > 0.9, f"{w}×{h} px for {COLS}×{ROWS} cells")
        done = os.path.join(work, "rendered")
        cmd = (f"printf '\\033[?25l' > /dev/tty; '{LIGHTBOX}' render --protocol sixel --size {COLS}x{ROWS} "
               f"--cell-size {CELL_W}x{CELL_H} '{dicom}' > /dev/tty; touch '{done}'; sleep 30")
        terms.append(subprocess.Popen(xterm + ["sh", "-c", cmd], env=env))
        for _ in range(200):
            if os.path.exists(done):
                break
            time.sleep(0.1)
        time.sleep(1.0)
        shot = screenshot(display)
        drawn = shot[:h, :w]
        outside = shot[h + 2:h + 60, :w + 60]
        check("xterm shows the sixel image at the cursor", (drawn > 8).mean() > 0.3, f"{(drawn > 8).mean():.2f} lit")
        check("nothing is drawn below it", (outside > 8).mean() < 0.01, f"{(outside > 8).mean():.3f} lit")
        png = os.path.join(work, "ref.png")
        subprocess.run([LIGHTBOX, "export-png", dicom, "--out", png], check=True, capture_output=True)
        ref = read_pnm(subprocess.run(["pngtopnm", png], capture_output=True, check=True).stdout)
        r = similarity(drawn, ref)
        check("sixel image on screen matches the reference rendering", r > 0.95, f"r = {r:.3f}")
        print(f"# drawn {w}×{h} px, correlation with export-png r = {r:.3f}")
        terms[-1].kill()
        time.sleep(0.5)

        # 2. The workstation's viewer in the same terminal.
        cmd = f"cd '{work}' && exec '{LIGHTBOX}' open --protocol sixel --reader xterm-test '{STUDY}'"
        terms.append(subprocess.Popen(xterm + ["sh", "-c", cmd], env=env))
        time.sleep(4.0)
        before = screenshot(display)
        subprocess.run(["xdotool", "key", "Return"], env=env, capture_output=True)
        time.sleep(4.0)
        after = screenshot(display)
        # The viewer's image area: grey, not text-coloured, and many distinct levels.
        levels_before = len(np.unique(before[:45 * CELL_H, :120 * CELL_W].astype(int)))
        levels = len(np.unique(after[:45 * CELL_H, :120 * CELL_W].astype(int)))
        check("the worklist is text only", levels_before < 64, f"{levels_before} grey levels")
        check("workstation viewer draws the image through sixel", levels > 64, f"{levels} grey levels on screen")
        check("opening the study changed the screen", np.abs(after - before).mean() > 1.0)
        terms[-1].kill()
        time.sleep(0.5)

        # 2b. Cell by cell: the frames' text against the screen, outside the images.
        samples = os.path.join(ROOT, "SampleStudies")
        ct, mg = os.path.join(samples, "10_CT_HEAD_HELENE_2026"), os.path.join(samples, "02_MG_ALICE_2026")
        open_cmd = f"'{LIGHTBOX}' open --protocol sixel --reader xterm-cells"
        cases = os.path.join(work, "cases")
        os.makedirs(cases, exist_ok=True)
        shutil.copytree(STUDY, os.path.join(cases, os.path.basename(STUDY)))
        # xterm only: kitty here draws with Mesa's software renderer, and its glyph sprites come out
        # striped and overlapping in screenshots of plain text too, so no cell can be compared exactly.
        for name, terminal, protocol, tenv in (("xterm", xterm, "sixel", env),):
            open_cmd = f"'{LIGHTBOX}' open --protocol {protocol} --reader {name}-cells"
            screen_cells(f"{name} worklist", f"{open_cmd} '{ct}' '{mg}' '{STUDY}'", [], tenv, display, terminal, work)
            screen_cells(f"{name} CT viewer with findings", f"{open_cmd} '{ct}'", ["Return"], tenv, display, terminal, work)
            screen_cells(f"{name} mammography hanging", f"{open_cmd} '{mg}'", ["Return"], tenv, display, terminal, work)
            screen_cells(f"{name} teaching case", f"'{LIGHTBOX}' teach '{cases}' --protocol {protocol} --db '{work}/teach-{name}.sqlite' "
                         f"--mode unknown --order fixed --trainee {name}-cells", [], tenv, display, terminal, work)

        # 3. kitty graphics in kitty (it needs OpenGL: Mesa's software renderer).
        done = os.path.join(work, "kitty-rendered")
        cmd = (f"printf '\\033[?25l'; '{LIGHTBOX}' render --protocol kitty --size {COLS}x{ROWS} '{dicom}'; "
               f"touch '{done}'; sleep 60")
        kenv = dict(env, LIBGL_ALWAYS_SOFTWARE="1")
        terms.append(subprocess.Popen(["kitty", "--config", "NONE", "-o", "background=black", "-o", "foreground=white",
                                       "-o", "window_padding_width=0", "-o", "cursor=black", "sh", "-c", cmd],
                                      env=kenv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(300):
            if os.path.exists(done):
                break
            time.sleep(0.1)
        check("kitty ran lightbox render", os.path.exists(done))
        time.sleep(2.0)
        shot = screenshot(display)
        if os.environ.get("KEEP_SHOT"):
            xwd = subprocess.run(["xwd", "-root", "-display", display], capture_output=True).stdout
            open(os.environ["KEEP_SHOT"], "wb").write(subprocess.run(["xwdtopnm"], input=xwd, capture_output=True).stdout)
        region = shot[:400, :500]
        r = similarity(region, ref)
        check("kitty shows the image and it matches the reference rendering", r > 0.95, f"r = {r:.3f}")
        print(f"# kitty: correlation with export-png r = {r:.3f}")
        # Query answers echoed as text would show as a bright line right of / below the image.
        lit = np.argwhere(region > 8)
        right = int(lit[:, 1].max()) + 20 if len(lit) else 300
        text_area = shot[:60, right:1000]
        check("no terminal answers echoed onto the screen", (text_area > 100).mean() < 0.002,
              f"{(text_area > 100).mean():.4f} bright")

        # 4. kitty → tmux → lightbox: Unicode placeholders (kitty ≥ 0.28).
        kitty_in_tmux(work, dicom, ref, kenv, display, terms)
    finally:
        for t in terms:
            t.kill()
        xvfb.kill()
        xvfb.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
