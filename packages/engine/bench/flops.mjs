// FLOPs of one Gatys iteration on VGG19 up to conv5_1 (what the engine runs):
// each 3x3 conv forward 2·H·W·Cin·Cout·9 and its input gradient the same; each
// style layer's Gram 2·M·C² forward and 2·M·C² backward. Pooling, ReLU, the
// losses and the optimizer are elementwise and left out (< 1%).
const CONVS = [
  // [channels in, channels out, downscale]
  [3, 64, 1], [64, 64, 1],
  [64, 128, 2], [128, 128, 2],
  [128, 256, 4], [256, 256, 4], [256, 256, 4], [256, 256, 4],
  [256, 512, 8], [512, 512, 8], [512, 512, 8], [512, 512, 8],
  [512, 512, 16],
];
const STYLE = [0, 2, 4, 8, 12]; // conv1_1, conv2_1, conv3_1, conv4_1, conv5_1

export function iterationFlops(height, width) {
  let flops = 0;
  CONVS.forEach(([cin, cout, down], i) => {
    const m = Math.floor(height / down) * Math.floor(width / down);
    flops += 2 * (2 * m * cin * cout * 9);
    if (STYLE.includes(i)) flops += 2 * (2 * m * cout * cout);
  });
  return flops;
}
