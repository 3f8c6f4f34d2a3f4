/**
 * Data passed between the pipeline stages. The shapes match the skeleton recording format
 * (docs/recording-format.md), so a recorded frame and a live frame are the same object.
 */

/** [x, y, z, visibility]. Image landmarks: x, y in [0, 1] of the image (y down), z relative depth. */
export type Landmark = [x: number, y: number, z: number, visibility: number];

/** One detected person: 33 BlazePose image landmarks and 33 world landmarks (metres, hip-centred). */
export interface Person {
  landmarks: Landmark[];
  world: Landmark[];
}

/** The pose estimate of one camera frame. `t` is the capture time in ms; an empty `people` is a frame with nobody. */
export interface PoseFrame {
  t: number;
  width: number;
  height: number;
  people: Person[];
}
