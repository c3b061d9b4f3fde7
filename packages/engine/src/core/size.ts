/** Output dimensions: longest side `size`, aspect kept, at least 1 px. */
export function fitLongestSide(width: number, height: number, size: number): { width: number; height: number } {
  const scale = size / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
