"""Builds standard CNN architectures as ONNX graphs with onnx.helper and random weights.

torch is not a dependency of this repository (it is several GB), so the architectures the
Inference module must run — torchvision ResNet (basic and bottleneck), DenseNet-121 (as in
TorchXRayVision), MobileNetV3-style blocks (depthwise conv, HardSwish, squeeze-excite) and a
MONAI BasicUNet-style U-Net (ConvTranspose, Resize, Concat, InstanceNorm, LeakyReLU) — are
written node by node here, following the layer order PyTorch's exporter produces (including the
Shape→Gather→Unsqueeze→Concat→Reshape flatten pattern). Width and depth are parameters, so the
same code makes the small committed fixtures and the full-size benchmark models.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class GraphBuilder:
    def __init__(self, seed=0, opset=17):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.opset = [], [], opset
        self.n = 0

    def name(self, p):
        self.n += 1
        return f"{p}_{self.n}"

    def const(self, arr, p="c"):
        nm = self.name(p)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), nm))
        return nm

    def node(self, op, inputs, n_out=1, **attrs):
        outs = [self.name(op.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=self.name(op), **attrs))
        return outs[0] if n_out == 1 else outs

    # layers ---------------------------------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, pad=None, group=1, bias=False, dilation=1):
        pad = (k // 2) * dilation if pad is None else pad
        fan = cin // group * k * k
        w = (self.rng.standard_normal((cout, cin // group, k, k)) * np.sqrt(2.0 / fan)).astype(np.float32)
        ins = [x, self.const(w, "W")]
        if bias:
            ins.append(self.const((self.rng.standard_normal(cout) * 0.1).astype(np.float32), "B"))
        return self.node("Conv", ins, kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
                         group=group, dilations=[dilation, dilation])

    def bn(self, x, c):
        r = self.rng
        return self.node("BatchNormalization", [x,
                         self.const((1 + 0.1 * r.standard_normal(c)).astype(np.float32), "gamma"),
                         self.const((0.1 * r.standard_normal(c)).astype(np.float32), "beta"),
                         self.const((0.1 * r.standard_normal(c)).astype(np.float32), "mean"),
                         self.const((0.5 + r.random(c)).astype(np.float32), "var")], epsilon=1e-5)

    def instnorm(self, x, c):
        r = self.rng
        return self.node("InstanceNormalization", [x,
                         self.const((1 + 0.1 * r.standard_normal(c)).astype(np.float32), "scale"),
                         self.const((0.1 * r.standard_normal(c)).astype(np.float32), "bias")], epsilon=1e-5)

    def relu(self, x):
        return self.node("Relu", [x])

    def linear(self, x, cin, cout):
        w = (self.rng.standard_normal((cout, cin)) / np.sqrt(cin)).astype(np.float32)
        b = (0.1 * self.rng.standard_normal(cout)).astype(np.float32)
        return self.node("Gemm", [x, self.const(w, "fcW"), self.const(b, "fcB")], transB=1)

    def torch_flatten(self, x):
        """PyTorch's `x.view(x.size(0), -1)` as exported: Shape, Gather, Unsqueeze, Concat, Reshape."""
        s = self.node("Shape", [x])
        n = self.node("Gather", [s, self.const(np.array(0, dtype=np.int64), "idx")], axis=0)
        n1 = self.node("Unsqueeze", [n, self.const(np.array([0], dtype=np.int64), "axes")])
        shape = self.node("Concat", [n1, self.const(np.array([-1], dtype=np.int64), "m1")], axis=0)
        return self.node("Reshape", [x, shape])

    def model(self, inp, in_shape, outputs):
        g = helper.make_graph(self.nodes, "lightbox_fixture",
                              [helper.make_tensor_value_info(inp, TensorProto.FLOAT, in_shape)],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
                              self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", self.opset)], producer_name="lightbox-tools")
        m.ir_version = 8
        # Declare the output shapes shape inference finds, as exporters do.
        inferred = onnx.shape_inference.infer_shapes(m)
        for o, io in zip(m.graph.output, inferred.graph.output):
            o.CopyFrom(io)
        onnx.checker.check_model(m)
        return m


def resnet(blocks=(2, 2, 2, 2), widths=(64, 128, 256, 512), bottleneck=False, classes=1000, size=224, seed=0):
    b = GraphBuilder(seed)
    x = "input"
    h = b.relu(b.bn(b.conv(x, 3, widths[0], 7, stride=2, pad=3), widths[0]))
    h = b.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = widths[0]
    exp = 4 if bottleneck else 1
    for stage, (nb, w) in enumerate(zip(blocks, widths)):
        for i in range(nb):
            stride = 2 if (i == 0 and stage > 0) else 1
            cout = w * exp
            if bottleneck:
                y = b.relu(b.bn(b.conv(h, cin, w, 1), w))
                y = b.relu(b.bn(b.conv(y, w, w, 3, stride=stride), w))
                y = b.bn(b.conv(y, w, cout, 1), cout)
            else:
                y = b.relu(b.bn(b.conv(h, cin, w, 3, stride=stride), w))
                y = b.bn(b.conv(y, w, w, 3), w)
            sc = h
            if stride != 1 or cin != cout:
                sc = b.bn(b.conv(h, cin, cout, 1, stride=stride), cout)
            h = b.relu(b.node("Add", [y, sc]))
            cin = cout
    h = b.node("GlobalAveragePool", [h])
    h = b.torch_flatten(h)
    out = b.linear(h, cin, classes)
    return b.model(x, [1, 3, size, size], [out])


def densenet(growth=32, blocks=(6, 12, 24, 16), init=64, bn_size=4, classes=18, size=224, seed=1):
    """DenseNet-121 topology (torchvision / TorchXRayVision): classifier with sigmoid outputs."""
    b = GraphBuilder(seed)
    x = "input"
    h = b.relu(b.bn(b.conv(x, 3, init, 7, stride=2, pad=3), init))
    h = b.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c = init
    for bi, nl in enumerate(blocks):
        feats = [h]
        for _ in range(nl):
            cat = feats[0] if len(feats) == 1 else b.node("Concat", feats, axis=1)
            y = b.conv(b.relu(b.bn(cat, c)), c, bn_size * growth, 1)
            y = b.conv(b.relu(b.bn(y, bn_size * growth)), bn_size * growth, growth, 3)
            feats.append(y)
            c += growth
        h = b.node("Concat", feats, axis=1)
        if bi != len(blocks) - 1:
            h = b.conv(b.relu(b.bn(h, c)), c, c // 2, 1)
            h = b.node("AveragePool", [h], kernel_shape=[2, 2], strides=[2, 2])
            c //= 2
    h = b.relu(b.bn(h, c))
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Flatten", [h], axis=1)
    logits = b.linear(h, c, classes)
    out = b.node("Sigmoid", [logits])
    return b.model(x, [1, 3, size, size], [out])


def mobilenet(widths=(16, 24, 40), classes=10, size=96, seed=2):
    """MobileNetV3-style: HardSwish stem, inverted residuals with depthwise conv and SE."""
    b = GraphBuilder(seed)
    x = "input"
    h = b.node("HardSwish", [b.bn(b.conv(x, 3, widths[0], 3, stride=2), widths[0])])
    cin = widths[0]
    for i, w in enumerate(widths):
        for rep in range(2):
            stride = 2 if (rep == 0 and i > 0) else 1
            e = cin * 3
            y = b.node("HardSwish", [b.bn(b.conv(h, cin, e, 1), e)])
            y = b.bn(b.conv(y, e, e, 3 if i % 2 == 0 else 5, stride=stride, group=e), e)
            y = b.node("Clip", [y, b.const(np.array(0, np.float32), "lo"), b.const(np.array(6, np.float32), "hi")])
            s = b.node("GlobalAveragePool", [y])
            s = b.relu(b.conv(s, e, max(8, e // 4), 1, bias=True))
            s = b.node("HardSigmoid", [b.conv(s, max(8, e // 4), e, 1, bias=True)], alpha=1 / 6, beta=0.5)
            y = b.node("Mul", [y, s])
            y = b.bn(b.conv(y, e, w, 1), w)
            if stride == 1 and cin == w:
                y = b.node("Add", [y, h])
            h, cin = y, w
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Flatten", [h])
    h = b.node("HardSwish", [b.linear(h, cin, 64)])
    out = b.node("Softmax", [b.linear(h, 64, classes)], axis=1)
    return b.model(x, [1, 3, size, size], [out])


def unet(features=(32, 32, 64, 128, 256, 32), in_ch=1, out_ch=2, size=256, seed=3):
    """MONAI BasicUNet-style 2-D U-Net: conv-instancenorm-leakyrelu twice per level, maxpool
    down, ConvTranspose (and, at the top level, linear Resize) up, skip Concat, 1×1 head."""
    b = GraphBuilder(seed)
    x = "input"

    def twoconv(h, cin, cout):
        h = b.node("LeakyRelu", [b.instnorm(b.conv(h, cin, cout, 3, bias=True), cout)], alpha=0.1)
        return b.node("LeakyRelu", [b.instnorm(b.conv(h, cout, cout, 3, bias=True), cout)], alpha=0.1)

    f = features
    x0 = twoconv(x, in_ch, f[0])
    skips, h, c = [x0], x0, f[0]
    for lvl in range(1, 5):
        h = twoconv(b.node("MaxPool", [h], kernel_shape=[2, 2], strides=[2, 2]), c, f[lvl])
        c = f[lvl]
        skips.append(h)
    ups = [f[3], f[2], f[1], f[5]]
    for lvl, cout in enumerate(ups):
        skip = skips[3 - lvl]
        sc = f[3 - lvl]
        if lvl == len(ups) - 1:
            # Top level: bilinear Resize then 1×1 conv (MONAI's "nontrainable" upsample path).
            up = b.node("Resize", [h, "", b.const(np.array([1, 1, 2, 2], np.float32), "scales")],
                        mode="linear", coordinate_transformation_mode="half_pixel")
            up = b.conv(up, c, c // 2, 1, bias=True)
            cu = c // 2
        else:
            w = (b.rng.standard_normal((c, c // 2, 2, 2)) * np.sqrt(1.0 / c)).astype(np.float32)
            up = b.node("ConvTranspose", [h, b.const(w, "Wt"), b.const(np.zeros(c // 2, np.float32), "Bt")],
                        kernel_shape=[2, 2], strides=[2, 2])
            cu = c // 2
        h = twoconv(b.node("Concat", [skip, up], axis=1), sc + cu, cout)
        c = cout
    out = b.conv(h, c, out_ch, 1, bias=True)
    prob = b.node("Softmax", [out], axis=1)
    return b.model(x, [1, in_ch, size, size], [prob])


def _leaky_with_ref():
    n = helper.make_node("LeakyRelu", ["T"], ["Y"])
    n.attribute.append(helper.make_attribute_ref("alpha", onnx.AttributeProto.FLOAT))
    return n


def function_model(seed=4):
    """A tiny model that calls a model-local function (FunctionProto), to exercise inlining."""
    rng = np.random.default_rng(seed)
    fn = helper.make_function(
        "lightbox.test", "ScaledRelu", ["X", "S"], ["Y"],
        [helper.make_node("Mul", ["X", "S"], ["T"]),
         _leaky_with_ref()],
        [helper.make_opsetid("", 17)], attributes=["alpha"])
    w = numpy_helper.from_array((rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32), "W")
    s = numpy_helper.from_array(np.array(1.5, np.float32), "S")
    nodes = [helper.make_node("Conv", ["input", "W"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("ScaledRelu", ["c", "S"], ["out"], domain="lightbox.test", alpha=0.2)]
    g = helper.make_graph(nodes, "fn", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
                          [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 4, 8, 8])], [w, s])
    m = helper.make_model(g, functions=[fn], opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("lightbox.test", 1)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m
