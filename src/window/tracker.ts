/**
 * Stable person ids across frames: greedy nearest match of hip centres (canonical coordinates, units of image
 * height), a new id for a person who matches no track, a track dropped when unseen for `dropAfterMs`.
 */
export interface TrackerConfig {
  /** At most this many people are tracked; extra detections (farthest from every track, or newest) are ignored. */
  maxPeople: number;
  /** A detection farther than this from a track's last hip centre starts a new person. */
  maxMatchDistance: number;
  dropAfterMs: number;
}

export const DEFAULT_TRACKER: TrackerConfig = { maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 1000 };

export type Point = readonly [number, number];

interface Track {
  id: number;
  centre: Point;
  lastSeen: number;
}

export class PersonTracker {
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(private readonly config: TrackerConfig = DEFAULT_TRACKER) {}

  /** Ids currently tracked (seen within dropAfterMs of the last update). */
  get activeIds(): number[] {
    return this.tracks.map((track) => track.id);
  }

  /**
   * Assigns ids to the hip centres detected at time `t`. Returns one id per detection, or null for a detection
   * that could not be tracked because maxPeople are already tracked.
   */
  update(centres: readonly Point[], t: number): (number | null)[] {
    this.tracks = this.tracks.filter((track) => t - track.lastSeen <= this.config.dropAfterMs);
    const pairs: { detection: number; track: Track; distance: number }[] = [];
    centres.forEach((centre, detection) => {
      for (const track of this.tracks) {
        const distance = Math.hypot(centre[0] - track.centre[0], centre[1] - track.centre[1]);
        if (distance <= this.config.maxMatchDistance) pairs.push({ detection, track, distance });
      }
    });
    pairs.sort((a, b) => a.distance - b.distance);
    const ids: (number | null)[] = centres.map(() => null);
    const matched = new Set<Track>();
    for (const { detection, track } of pairs) {
      if (ids[detection] !== null || matched.has(track)) continue;
      ids[detection] = track.id;
      matched.add(track);
      track.centre = centres[detection]!;
      track.lastSeen = t;
    }
    centres.forEach((centre, detection) => {
      if (ids[detection] !== null || this.tracks.length >= this.config.maxPeople) return;
      const track = { id: this.nextId++, centre, lastSeen: t };
      this.tracks.push(track);
      ids[detection] = track.id;
    });
    return ids;
  }

  reset(): void {
    this.tracks = [];
  }
}
