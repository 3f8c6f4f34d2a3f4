// The action-model picker: the models the build lists in models/index.json (made by `npm run models:index`).
import { fillSelect } from './dom';
import { modelOptionText, parseModelIndex } from './model-index';
import { errorText } from './status-banner';

/** Fills `select` with the listed models, choosing `preferred` when listed; a missing or bad index is reported. */
export async function loadModelIndex(select: HTMLSelectElement, preferred: string | null, showError: (message: string) => void): Promise<void> {
  try {
    const response = await fetch(new URL('models/index.json', document.baseURI));
    if (!response.ok) throw new Error(`models/index.json: HTTP ${response.status}; run "npm run models:index" and rebuild`);
    const models = parseModelIndex(await response.json());
    fillSelect(select, models.map((m) => ({ value: m.manifest, text: modelOptionText(m) })));
    if (preferred && models.some((m) => m.manifest === preferred)) select.value = preferred;
    if (models.length === 0) showError('No action models in models/: export one (see training/README) and rebuild.');
  } catch (error) {
    showError(`cannot list the action models: ${errorText(error)}`);
  }
}
