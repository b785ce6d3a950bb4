/** The page's element with this ID, typed; a page without it is a bug worth failing loudly on. */
export const byId = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
};
