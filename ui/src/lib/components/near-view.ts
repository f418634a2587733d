import type { Attachment } from "svelte/attachments";

/**
 * Calls `near` once when the element comes within `margin` pixels of the
 * visible part of the box it scrolls in: for a list that reads its next page
 * before the user scrolls to its end. Where the page cannot tell (no
 * IntersectionObserver), it does nothing: the element's own button stays.
 */
export function nearView(near: () => void, margin = 200): Attachment<HTMLElement> {
  return (element) => {
    if (typeof IntersectionObserver === "undefined") return;
    const watch = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          watch.disconnect();
          near();
        }
      },
      // The margin counts from the edges of the box that scrolls the element.
      { root: scroller(element), rootMargin: `${margin}px 0px` },
    );
    watch.observe(element);
    return () => watch.disconnect();
  };
}

/** The nearest ancestor that scrolls vertically (null: the page itself). */
function scroller(element: HTMLElement): HTMLElement | null {
  for (let e = element.parentElement; e; e = e.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(e).overflowY)) return e;
  }
  return null;
}
