// The mount a page shows, chosen among the mounts of its engine type (a GET form).
import { SelectField } from "@metacircular/mcdsl/web";
import type { MountInfo } from "../mounts/mount-table.ts";

export function MountPicker(p: { action: string; mounts: MountInfo[]; current: string }) {
  if (p.mounts.length < 2) return null;
  return (
    <form method="get" action={p.action} class="kit-filters" id="mount-picker">
      <SelectField
        name="mount"
        label="Mount"
        value={p.current}
        options={p.mounts.map((m) => ({ value: m.name, label: m.name }))}
      />
      <div class="kit-actions">
        <button type="submit" class="kit-secondary">
          Show
        </button>
      </div>
    </form>
  );
}
