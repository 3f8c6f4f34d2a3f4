/**
 * Stable person ids across frames: greedy nearest match of hip centres (canonical coordinates, units of image
 * height), a new id for a person who matches no track, a track dropped when unseen for `dropAfterMs`.
 *
 * A new track is tentative until it has been matched in `confirmFrames` frames; established tracks pick their
 * detections first. The pose model now and then reports a second, spurious pose next to a person for a frame;
 * without this, that ghost's track could take over the real person in the next frame (when they moved towards it,
 * e.g. while falling) and their history — the descent a fall detector needs — would stay behind on the old id.
 * Tentative tracks are not dropped on a miss: a person the pose model finds only in some frames keeps one id.
 */
export interface TrackerConfig {
  /** At most this many people are tracked; extra detections (farthest from every track, or newest) are ignored. */
  maxPeople: number;
  /** A detection farther than this from a track's last hip centre starts a new person. */
  maxMatchDistance: number;
  dropAfterMs: number;
  /** Frames (not necessarily consecutive) a new track must be matched in before it is established (1: at once). */
  confirmFrames: number;
}

export const DEFAULT_TRACKER: TrackerConfig = { maxPeople: 4, maxMatchDistance: 0.3, dropAfterMs: 1000, confirmFrames: 3 };

export type Point = readonly [number, number];

interface Track {
  id: number;
  centre: Point;
  lastSeen: number;
  /** Frames matched since the track started (counted up to confirmFrames only). */
  hits: number;
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
    const ids: (number | null)[] = centres.map(() => null);
    this.match(centres, ids, this.tracks.filter((track) => this.established(track)), t);
    this.match(centres, ids, this.tracks.filter((track) => !this.established(track)), t);
    centres.forEach((centre, detection) => {
      if (ids[detection] !== null || this.tracks.length >= this.config.maxPeople) return;
      const track = { id: this.nextId++, centre, lastSeen: t, hits: 1 };
      this.tracks.push(track);
      ids[detection] = track.id;
    });
    return ids;
  }

  reset(): void {
    this.tracks = [];
  }

  private established(track: Track): boolean {
    return track.hits >= this.config.confirmFrames;
  }

  /** Greedy nearest-first matching of the still unassigned detections to `tracks`. */
  private match(centres: readonly Point[], ids: (number | null)[], tracks: readonly Track[], t: number): void {
    const pairs: { detection: number; track: Track; distance: number }[] = [];
    centres.forEach((centre, detection) => {
      if (ids[detection] !== null) return;
      for (const track of tracks) {
        const distance = Math.hypot(centre[0] - track.centre[0], centre[1] - track.centre[1]);
        if (distance <= this.config.maxMatchDistance) pairs.push({ detection, track, distance });
      }
    });
    pairs.sort((a, b) => a.distance - b.distance);
    const matched = new Set<Track>();
    for (const { detection, track } of pairs) {
      if (ids[detection] !== null || matched.has(track)) continue;
      ids[detection] = track.id;
      matched.add(track);
      track.centre = centres[detection]!;
      track.lastSeen = t;
      track.hits = Math.min(this.config.confirmFrames, track.hits + 1);
    }
  }
}
