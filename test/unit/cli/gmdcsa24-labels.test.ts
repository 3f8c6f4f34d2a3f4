// GMDCSA24 label CSVs → segment labels: the messy cells of the real CSVs (quoted verbatim from
// /work/shared/datasets/gmdcsa24), the class mapping, the fall cut, clamping and overlaps.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAPPED_LABELS, ourLabel, parseClasses, readLabelTable, rowLabels, type ClassEntry } from '../../../cli/gmdcsa24-labels';
import { labelSidecarPath, labelSidecarText, type LabelSidecar } from '../../../src/recording/labels';
import { REPO_ROOT } from '../../../scripts/headless/app-server';

const entries = (cell: string) => parseClasses(cell).value;

describe('parseClasses: the Classes cell', () => {
  it.each([
    ['Falling (SW)[1.8 to 5]:; Walking[0 to 1.8]', [['Falling (SW)', [[1.8, 5]]], ['Walking', [[0, 1.8]]]]],
    ['Falling (BW[5.9 to 10]; Walking[0 to 1.3]', [['Falling (BW)', [[5.9, 10]]], ['Walking', [[0, 1.3]]]]],
    ['Falling (BW)[2.3 6]; Sitting[0 to 2]', [['Falling (BW)', [[2.3, 6]]], ['Sitting', [[0, 2]]]]],
    ['Falling (FW)[8.2 to 15]; Eating[0.9 4.6]; Standing[0 to 8.1]', [['Falling (FW)', [[8.2, 15]]], ['Eating', [[0.9, 4.6]]], ['Standing', [[0, 8.1]]]]],
    ['Falling (SW) [ 2.8 to 6]; Sitting [0 to 2.9]', [['Falling (SW)', [[2.8, 6]]], ['Sitting', [[0, 2.9]]]]],
    ['Reading[0 to 2.5]; Sitting[0 to 3.3]; Standing[3.3 to 5];Walking[5 to 7]; ', [['Reading', [[0, 2.5]]], ['Sitting', [[0, 3.3]]], ['Standing', [[3.3, 5]]], ['Walking', [[5, 7]]]]],
    ['Falling (BW) [0.3 to 5]; Standing [0 to 0.2]', [['Falling (BW)', [[0.3, 5]]], ['Standing', [[0, 0.2]]]]],
    ['\tSitting[ 0 to 10]\t; Drinking[0 to 5.1];', [['Sitting', [[0, 10]]], ['Drinking', [[0, 5.1]]]]],
    ['Fall (FW)[2.6 to 6]; Standing[1.3 to 2.2]; Walking[0 to 1.3]', [['Fall (FW)', [[2.6, 6]]], ['Standing', [[1.3, 2.2]]], ['Walking', [[0, 1.3]]]]],
  ])('reads %j', (cell, expected) => {
    const { value, problems } = parseClasses(cell);
    expect(problems).toEqual([]);
    expect(value.map((entry) => [entry.name, entry.intervals])).toEqual(expected);
  });

  it('reads several intervals of one class', () => {
    expect(entries('Standing[0 to 0.5; 4.2 to 6.5]; Walking[0.5 to 1.8; 6 to 8.7]')).toEqual([
      { name: 'Standing', intervals: [[0, 0.5], [4.2, 6.5]] },
      { name: 'Walking', intervals: [[0.5, 1.8], [6, 8.7]] },
    ]);
  });

  it('closes a bracket left open where the next class begins', () => {
    const { value } = parseClasses('Sitting[9.2 to 10]; Standing[2.4 to 3.6; 6.6 to 7.9; Walking[3.6 to 5.2; 7.9 to 9.2] ');
    expect(value).toEqual([
      { name: 'Sitting', intervals: [[9.2, 10]] },
      { name: 'Standing', intervals: [[2.4, 3.6], [6.6, 7.9]] },
      { name: 'Walking', intervals: [[3.6, 5.2], [7.9, 9.2]] },
    ]);
  });

  it('drops a reversed interval with a problem instead of guessing (Subject 2/ADL.csv 06.mp4)', () => {
    const { value, problems } = parseClasses('Sitting[9.7 to 3]; Standing[0 to 0.5; 4.2 to 6.5]');
    expect(value).toEqual([{ name: 'Sitting', intervals: [] }, { name: 'Standing', intervals: [[0, 0.5], [4.2, 6.5]] }]);
    expect(problems).toEqual(['"Sitting[9.7 to 3]": interval 9.7 to 3 does not go forward in time']);
  });

  it('names a class without an interval, an unreadable interval and stray text', () => {
    expect(parseClasses('Reading; Sitting[0.8 to 8.1]').problems).toEqual(['"Reading": no [start to end] interval']);
    expect(parseClasses('Falling (FW); Sitting[0 to 1.7]')).toEqual({
      value: [{ name: 'Sitting', intervals: [[0, 1.7]] }],
      problems: ['"Falling (FW)": no [start to end] interval'],
    });
    expect(parseClasses('Walking[0 to about 2]').problems).toEqual(['"Walking[0 to about 2]": cannot read the interval "0 to about 2"']);
    expect(parseClasses('Sitting[0 to 1] 42 ??').problems).toEqual(['unrecognised text "42 ??"']);
  });
});

describe('class mapping', () => {
  it('maps falls by direction and the postures; overlay activities map to nothing; unknown classes are undefined', () => {
    expect(['Falling (FW)', 'Falling (BW)', 'Falling (SW)', 'Fall (FW)'].map(ourLabel)).toEqual(['falling_forward', 'falling_backward', 'falling_sideways', 'falling_forward']);
    expect(['Sitting', 'Sleeping', 'Standing', 'Walking'].map(ourLabel)).toEqual(['sitting', 'lying', 'standing', 'walking']);
    expect(['Reading', 'Writing', 'Eating', 'Drinking', 'Exercising'].map(ourLabel)).toEqual([null, null, null, null, null]);
    expect(ourLabel('Dancing')).toBeUndefined();
  });

  it('produces only labels of training/labels/default.json', () => {
    const { labels } = JSON.parse(readFileSync(join(REPO_ROOT, 'training/labels/default.json'), 'utf8')) as { labels: string[] };
    expect(MAPPED_LABELS.filter((label) => !labels.includes(label))).toEqual([]);
  });
});

describe('rowLabels: segments on the recording clock', () => {
  const fallRow = { fall: true, firstMs: 33.333, endMs: 4354.6, fallMs: 2000 };

  it('labels only the first fallMs of a fall and gives its onset after the first frame (Subject 1/Fall.csv 13.mp4)', () => {
    const { value, problems } = rowLabels(entries('Falling (BW)[0.4 to 4]; Standing[0 to 0.3]'), fallRow);
    expect(problems).toEqual([]);
    expect(value).toEqual({
      segments: [{ start: 33.333, end: 300, label: 'standing' }, { start: 400, end: 2400, label: 'falling_backward' }],
      fallAtMs: 366.667,
    });
    expect(rowLabels(entries('Falling (BW)[0.4 to 4]'), { ...fallRow, fallMs: 1000 }).value.segments).toEqual([{ start: 400, end: 1400, label: 'falling_backward' }]);
  });

  it('leaves time claimed by two classes unlabelled and says so', () => {
    const { value, problems } = rowLabels(entries('Falling (SW) [1.8 to 6] ; Sitting [0 to 2]'), { ...fallRow, firstMs: 0, endMs: 6000 });
    expect(value.segments).toEqual([{ start: 0, end: 1800, label: 'sitting' }, { start: 2000, end: 3800, label: 'falling_sideways' }]);
    expect(value.fallAtMs).toBe(1800);
    expect(problems).toEqual(['falling_sideways and sitting overlap from 1.80 s to 2.00 s: left unlabelled']);
  });

  it('clamps to the recording and reports a segment that starts after it ends', () => {
    const { value, problems } = rowLabels(entries('Walking[0 to 6]; Standing[6.2 to 7]'), { fall: false, firstMs: 0, endMs: 5697.3, fallMs: 2000 });
    expect(value).toEqual({ segments: [{ start: 0, end: 5697.3, label: 'walking' }], fallAtMs: null });
    expect(problems).toEqual(['standing from 6.20 s starts after the recording ends (5.70 s); left out']);
  });

  it('keeps only our classes of a daily-activity row: overlay-only time stays unlabelled', () => {
    const { value, problems } = rowLabels(entries('Reading[6 to 10]; Sitting[3 to 10]; Walking[1 to 3]'), { fall: false, firstMs: 0, endMs: 10_000, fallMs: 2000 });
    expect(problems).toEqual([]);
    expect(value.segments).toEqual([{ start: 1000, end: 3000, label: 'walking' }, { start: 3000, end: 10_000, label: 'sitting' }]);
    expect(rowLabels(entries('Eating[4.2 to 5.2]'), { fall: false, firstMs: 0, endMs: 7000, fallMs: 2000 }).value.segments).toEqual([]);
  });

  it('cuts consecutive falling segments at fallMs after the first onset', () => {
    const { value } = rowLabels(entries('Falling (BW)[2 to 4]; Falling (SW)[4 to 11]; Walking[0 to 1.8]'), { ...fallRow, firstMs: 0, endMs: 11_000 });
    expect(value).toEqual({ segments: [{ start: 0, end: 1800, label: 'walking' }, { start: 2000, end: 4000, label: 'falling_backward' }], fallAtMs: 2000 });
  });

  it('reports a fall row without a fall time, an ADL row with one, and an unknown class', () => {
    expect(rowLabels(entries('Sitting[0 to 1.7]'), fallRow)).toMatchObject({ value: { fallAtMs: null }, problems: ['no falling interval: the fall time is unknown'] });
    expect(rowLabels(entries('Falling (FW)[1 to 2]'), { ...fallRow, fall: false }).problems).toEqual(['a falling interval in a daily-activity (ADL) row']);
    const unknown: ClassEntry[] = [{ name: 'Dancing', intervals: [[0, 1]] }];
    expect(rowLabels(unknown, fallRow).problems).toContain('"Dancing": not a GMDCSA24 class this converter knows; left out');
  });
});

describe('readLabelTable', () => {
  it('finds the file and Classes columns by name, with line numbers, quoted fields and blank lines', () => {
    const text = 'File Name,Length (seconds),Time of Recording,Attire,Description, Classes\r\n' +
      '05.mp4,05, Day (Light On),Full T-shirt & Trousers, Walking to falling. Right side fall, Falling (SW)[1.8 to 5]:; Walking[0 to 1.8]\r\n' +
      '\r\n' +
      '15.mp4,11,Day,\tT-Shirt & Pants 2,"Writing while sitting on the bed, then falling", Falling (SW)[7.7 to 11]; Sitting[0 to 7.7]\n' +
      '16.mp4,04,Day,T-Shirt,Walking, then falling forward, Falling (FW)[0.8 to 4]\n';
    const { value, problems } = readLabelTable(text);
    expect(value).toEqual([
      { line: 2, video: '05.mp4', classes: 'Falling (SW)[1.8 to 5]:; Walking[0 to 1.8]' },
      { line: 4, video: '15.mp4', classes: 'Falling (SW)[7.7 to 11]; Sitting[0 to 7.7]' },
    ]);
    expect(problems).toEqual(['line 5: 7 columns where the header has 6; row skipped']);
  });

  it('refuses a file without the two columns', () => {
    expect(readLabelTable('name,labels\n01.mp4,Sitting[0 to 1]\n')).toEqual({ value: [], problems: ['line 1: expected a header with "File Name" and "Classes" columns'] });
  });
});

describe('label sidecar', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sidecar-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const sidecar: LabelSidecar = {
    format: 'skeleton-recording-labels',
    version: 1,
    subject: 4,
    camera: 0,
    fall: true,
    fallAtMs: 1700,
    origin: 'GMDCSA24 Subject 4/Fall.csv line 4: Falling (FW)[1.7 to 6]; Walking[0 to 1.7]',
    segments: [{ start: 0, end: 1700, label: 'walking' }, { start: 1700, end: 3700, label: 'falling_forward' }],
  };

  it('sits beside its recording and is JSON of exactly the sidecar', () => {
    expect(labelSidecarPath('/data/Subject 4/Fall/03.jsonl')).toBe('/data/Subject 4/Fall/03.labels.json');
    expect(JSON.parse(labelSidecarText(sidecar))).toEqual(sidecar);
    expect(JSON.parse(labelSidecarText({ ...sidecar, segments: [] }))).toEqual({ ...sidecar, segments: [] });
  });

  it('is read by the trainer (training/recordings.py), fall, fallAtMs and origin included', () => {
    const path = join(folder, '03.labels.json');
    writeFileSync(path, labelSidecarText(sidecar));
    const script = 'import json, sys; from pathlib import Path; from training.recordings import read_labels; ' +
      'names = json.load(open("training/labels/default.json"))["labels"]; print(json.dumps(read_labels(Path(sys.argv[1]), names)))';
    const read = JSON.parse(execFileSync(join(REPO_ROOT, 'scripts/python.sh'), ['-c', script, path], { cwd: REPO_ROOT, encoding: 'utf8' }));
    expect(read).toEqual({ subject: 4, camera: 0, segments: [[0, 1700, 1], [1700, 3700, 9]] });
  });
});
