// Window-wide state: what the app knows about the practice, which area is
// shown, and the toast.
import type { AppInfo } from "./bindings";
import { commands } from "./api";

export type Area = "today" | "clients" | "offerings" | "reports" | "settings";

export interface Toast {
  message: string;
  undo?: () => Promise<void>;
  id: number;
}

class AppState {
  info: AppInfo | null = $state(null);
  area: Area = $state("today");
  toast: Toast | null = $state(null);

  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private toastSeq = 0;

  /** Re-reads the practice and "today" (after set-up, a settings change, or a night away). */
  async refresh() {
    this.info = await commands.appInfo();
  }

  get currency(): string {
    return this.info?.practice?.currency ?? "EUR";
  }

  get today(): string {
    return this.info?.today ?? new Date().toISOString().slice(0, 10);
  }

  showToast(message: string, undo?: () => Promise<void>) {
    clearTimeout(this.toastTimer);
    const id = ++this.toastSeq;
    this.toast = { message, undo, id };
    this.toastTimer = setTimeout(() => {
      if (this.toast?.id === id) this.toast = null;
    }, 8000);
  }

  dismissToast() {
    clearTimeout(this.toastTimer);
    this.toast = null;
  }
}

export const app = new AppState();
