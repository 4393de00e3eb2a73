/** Every evidence detector, keyed by the checklist item it decides. */
import type { Detector } from "../evidence";
import { infrastructureDetectors } from "./infrastructure";
import { operationsDetectors } from "./operations";
import { productDetectors } from "./product";
import { reliabilityDetectors } from "./reliability";
import { securityDetectors } from "./security";
import { testingDetectors } from "./testing";

export const DETECTORS: Readonly<Record<string, Detector>> = {
  ...securityDetectors,
  ...reliabilityDetectors,
  ...testingDetectors,
  ...operationsDetectors,
  ...productDetectors,
  ...infrastructureDetectors,
};
