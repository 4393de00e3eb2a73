/** Every evidence detector, keyed by the checklist item it decides. */
import type { Detector } from "../evidence";
import { infrastructureDetectors } from "./infrastructure";
import { operationsDetectors } from "./operations";
import { productDetectors } from "./product";

export const DETECTORS: Readonly<Record<string, Detector>> = {
  ...operationsDetectors,
  ...productDetectors,
  ...infrastructureDetectors,
};
