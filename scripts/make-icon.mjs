// Draws the extension's icons from one geometry: a check mark breaking out of a ring.
//   media/readiness.svg — the 24×24 activity bar icon (VS Code uses it as a mask: only its shape counts);
//   media/icon.png      — the 128×128 marketplace icon (vsce needs a PNG): the same glyph in white on a
//                         rounded green-to-teal square.
// No image libraries: the PNG is rasterised with signed distance fields (1-pixel anti-aliasing) and
// written by hand (IHDR, IDAT through zlib, IEND, CRC-32). Run `node scripts/make-icon.mjs` and commit
// both files.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const MEDIA = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "media");

// ---- Geometry, in the 24×24 units of the SVG ------------------------------------------------------
const CENTER = { x: 12, y: 12 };
const RING = {
  radius: 9.5, // of the stroke's middle line
  half: 1, // half the stroke width
  // Angles in degrees, clockwise from twelve o'clock. The ring runs from `from` clockwise to `to`,
  // leaving a gap at the upper right for the check mark's long stroke.
  from: 75,
  to: 385,
};
const CHECK = { half: 1, points: [{ x: 7, y: 12 }, { x: 10.75, y: 15.75 }, { x: 20, y: 5.25 }] };

const rad = (degrees) => (degrees * Math.PI) / 180;
const onCircle = (radius, degrees) => ({
  x: CENTER.x + radius * Math.sin(rad(degrees)),
  y: CENTER.y - radius * Math.cos(rad(degrees)),
});

// ---- SVG: filled outlines only (no strokes), all sub-paths clockwise so they unite under nonzero -----
const n = (value) => String(Math.round(value * 1000) / 1000);
const pt = (p) => `${n(p.x)} ${n(p.y)}`;

function ringPath() {
  const { radius, half, from, to } = RING;
  const large = to - from > 180 ? 1 : 0;
  const outerFrom = onCircle(radius + half, from);
  const outerTo = onCircle(radius + half, to);
  const innerTo = onCircle(radius - half, to);
  const innerFrom = onCircle(radius - half, from);
  return (
    `M${pt(outerFrom)}A${n(radius + half)} ${n(radius + half)} 0 ${large} 1 ${pt(outerTo)}` +
    `A${n(half)} ${n(half)} 0 0 1 ${pt(innerTo)}` +
    `A${n(radius - half)} ${n(radius - half)} 0 ${large} 0 ${pt(innerFrom)}` +
    `A${n(half)} ${n(half)} 0 0 1 ${pt(outerFrom)}Z`
  );
}

function capsulePath(p, q, half) {
  const length = Math.hypot(q.x - p.x, q.y - p.y);
  const u = { x: (q.x - p.x) / length, y: (q.y - p.y) / length };
  const normal = { x: u.y * half, y: -u.x * half }; // makes both round caps clockwise (sweep 1)
  const add = (a, b, sign) => ({ x: a.x + sign * b.x, y: a.y + sign * b.y });
  return (
    `M${pt(add(p, normal, 1))}L${pt(add(q, normal, 1))}` +
    `A${n(half)} ${n(half)} 0 0 1 ${pt(add(q, normal, -1))}L${pt(add(p, normal, -1))}` +
    `A${n(half)} ${n(half)} 0 0 1 ${pt(add(p, normal, 1))}Z`
  );
}

const checkPaths = CHECK.points.slice(1).map((q, i) => capsulePath(CHECK.points[i], q, CHECK.half));
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">` +
  `<path d="${ringPath()}${checkPaths.join("")}"/></svg>\n`;

// ---- Signed distances of the same shapes (negative inside), in 24-unit space --------------------------
function segmentDistance(p, a, b) {
  const abx = b.x - a.x;
  const aby = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * abx + (p.y - a.y) * aby) / (abx * abx + aby * aby)));
  return Math.hypot(p.x - (a.x + t * abx), p.y - (a.y + t * aby));
}

function ringDistance(p) {
  const dx = p.x - CENTER.x;
  const dy = p.y - CENTER.y;
  let angle = (Math.atan2(dx, -dy) * 180) / Math.PI; // clockwise from twelve o'clock
  while (angle < RING.from) angle += 360;
  if (angle <= RING.to) return Math.abs(Math.hypot(dx, dy) - RING.radius) - RING.half;
  const capFrom = onCircle(RING.radius, RING.from);
  const capTo = onCircle(RING.radius, RING.to);
  return Math.min(Math.hypot(p.x - capFrom.x, p.y - capFrom.y), Math.hypot(p.x - capTo.x, p.y - capTo.y)) - RING.half;
}

function checkDistance(p) {
  let best = Infinity;
  for (let i = 1; i < CHECK.points.length; i++) best = Math.min(best, segmentDistance(p, CHECK.points[i - 1], CHECK.points[i]));
  return best - CHECK.half;
}

const glyphDistance = (p) => Math.min(ringDistance(p), checkDistance(p));

function roundedSquareDistance(x, y, size, radius) {
  const half = size / 2;
  const qx = Math.abs(x - half) - (half - radius);
  const qy = Math.abs(y - half) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

// ---- PNG raster ------------------------------------------------------------------------------------
const SIZE = 128;
const CORNER = 26;
const GLYPH_SCALE = 4; // 24 units → 96 px, centred: 16 px margin inside the square
const GLYPH_OFFSET = (SIZE - 24 * GLYPH_SCALE) / 2;
const TOP_LEFT = [0x2f, 0xbf, 0x71]; // green
const BOTTOM_RIGHT = [0x12, 0x7f, 0x9e]; // teal

const coverage = (distancePx) => Math.max(0, Math.min(1, 0.5 - distancePx));

function render() {
  const stride = SIZE * 4 + 1;
  const raw = Buffer.alloc(stride * SIZE);
  for (let y = 0; y < SIZE; y++) {
    raw[y * stride] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      const square = coverage(roundedSquareDistance(cx, cy, SIZE, CORNER));
      const glyph = coverage(glyphDistance({ x: (cx - GLYPH_OFFSET) / GLYPH_SCALE, y: (cy - GLYPH_OFFSET) / GLYPH_SCALE }) * GLYPH_SCALE);
      const t = (cx + cy) / (2 * SIZE);
      const offset = y * stride + 1 + x * 4;
      for (let c = 0; c < 3; c++) {
        const background = TOP_LEFT[c] + (BOTTOM_RIGHT[c] - TOP_LEFT[c]) * t;
        raw[offset + c] = Math.round(background + (255 - background) * glyph);
      }
      raw[offset + 3] = Math.round(255 * square);
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

mkdirSync(MEDIA, { recursive: true });
writeFileSync(path.join(MEDIA, "readiness.svg"), svg);
const icon = png(render());
writeFileSync(path.join(MEDIA, "icon.png"), icon);
console.log(`media/readiness.svg ${svg.length} bytes, media/icon.png ${icon.length} bytes (${SIZE}×${SIZE})`);
