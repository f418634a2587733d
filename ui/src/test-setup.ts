// jsdom has no modal dialogs; a sheet only needs `open` and a close.
if (!HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.open = false;
  };
}

// jsdom lays nothing out and has no ResizeObserver. The virtual list learns
// its viewport and row sizes from one, so this stand-in reports a 600 px
// viewport and 50 px rows (the list's own row height), as a window would.
class ResizeObserverStub {
  constructor(private callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const row = (target as HTMLElement).style.position === "absolute";
    const entry = { target, contentRect: { width: 300, height: row ? 50 : 600 } } as unknown as ResizeObserverEntry;
    queueMicrotask(() => this.callback([entry], this as unknown as ResizeObserver));
  }
  unobserve() {}
  disconnect() {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get() {
    return this.parentNode ? document.body : null;
  },
});
