/** A factory for new elements of `doc`, each with its text and (optional) class set: the alerts DOM is built by hand. */
export function elementMaker(doc: Document) {
  return <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  };
}
