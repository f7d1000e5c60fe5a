// Draws the two Teams app icons: a tilted two-tone capsule.
//   color.png   192x192, full colour on the accent-colour background
//   outline.png  32x32, white on transparent (alpha is anti-aliased, colour is always white)
//
// Regenerate the committed PNGs with: npx tsx teams/icons.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export const COLOR_SIZE = 192;
export const OUTLINE_SIZE = 32;

type Rgb = [number, number, number];

/** Same value as accentColor in manifest.template.json. */
const BACKGROUND: Rgb = [0x0b, 0x5c, 0xad];
const LIGHT_HALF: Rgb = [0xff, 0xff, 0xff];
const WARM_HALF: Rgb = [0xf4, 0xb9, 0x42];

interface Capsule {
  cx: number;
  cy: number;
  /** Half the distance between the centres of the two round ends. */
  halfLength: number;
  radius: number;
}

// Axis pointing up and to the right (image y grows downwards).
const AXIS = { x: Math.SQRT1_2, y: -Math.SQRT1_2 };

/** Position of a point along the capsule axis (u) and its signed distance to the capsule edge (d < 0 inside). */
function capsuleCoords(c: Capsule, x: number, y: number): { u: number; d: number } {
  const dx = x - c.cx;
  const dy = y - c.cy;
  const u = dx * AXIS.x + dy * AXIS.y;
  const v = -dx * AXIS.y + dy * AXIS.x;
  const along = Math.max(-c.halfLength, Math.min(c.halfLength, u));
  return { u, d: Math.hypot(u - along, v) - c.radius };
}

/**
 * Renders a square image by supersampling: `shade` returns a colour and an opacity (0..1) for a point in
 * pixel coordinates, and each pixel gets the average over samples x samples points.
 */
function render(size: number, samples: number, shade: (x: number, y: number) => [Rgb, number]): PNG {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [rgb, alpha] = shade(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          r += rgb[0] * alpha;
          g += rgb[1] * alpha;
          b += rgb[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      // Colour is averaged over the covered samples only (un-premultiplied); fully empty pixels stay white.
      png.data[i] = a > 0 ? Math.round(r / a) : 255;
      png.data[i + 1] = a > 0 ? Math.round(g / a) : 255;
      png.data[i + 2] = a > 0 ? Math.round(b / a) : 255;
      png.data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return png;
}

export function drawColorIcon(): PNG {
  const capsule: Capsule = { cx: COLOR_SIZE / 2, cy: COLOR_SIZE / 2, halfLength: 38, radius: 27 };
  const gap = 2.5;
  return render(COLOR_SIZE, 4, (x, y) => {
    const { u, d } = capsuleCoords(capsule, x, y);
    if (d > 0 || Math.abs(u) < gap / 2) return [BACKGROUND, 1];
    return [u < 0 ? LIGHT_HALF : WARM_HALF, 1];
  });
}

export function drawOutlineIcon(): PNG {
  const capsule: Capsule = { cx: OUTLINE_SIZE / 2, cy: OUTLINE_SIZE / 2, halfLength: 8.5, radius: 6.5 };
  const stroke = 2;
  const white: Rgb = [255, 255, 255];
  return render(OUTLINE_SIZE, 8, (x, y) => {
    const { u, d } = capsuleCoords(capsule, x, y);
    if (d > 0) return [white, 0];
    // The lower-left half is an outline with a divider across the middle; the upper-right half is solid.
    const onEdge = d > -stroke;
    const onDivider = Math.abs(u) <= stroke / 2;
    return [white, onEdge || onDivider || u > 0 ? 1 : 0];
  });
}

function encodePng(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}

function writeIcons(dir: string): void {
  writeFileSync(join(dir, 'color.png'), encodePng(drawColorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(drawOutlineIcon()));
}

if (require.main === module) {
  writeIcons(__dirname);
  console.log(
    `Wrote color.png (${COLOR_SIZE}x${COLOR_SIZE}) and outline.png (${OUTLINE_SIZE}x${OUTLINE_SIZE}) to ${__dirname}`,
  );
}
