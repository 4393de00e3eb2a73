/** Every evidence detector, keyed by the checklist item it decides. */
import type { Detector } from "../evidence";

export const DETECTORS: Readonly<Record<string, Detector>> = {};
