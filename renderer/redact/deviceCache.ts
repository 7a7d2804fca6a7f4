// Devices of opened files, read once per file from its header through VeilApi.
import type { FileId, InstanceSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { deviceOfFile } from './device';
import type { Device } from './planState';

const devices = new Map<FileId, Promise<Device>>();

export function deviceOf(instance: InstanceSummary): Promise<Device> {
  let device = devices.get(instance.fileId);
  if (!device) {
    device = getVeilApi()
      .readFile(instance.fileId)
      .then((bytes) => deviceOfFile(new Uint8Array(bytes)));
    devices.set(instance.fileId, device);
    // A failed read must not stay cached.
    device.catch(() => devices.delete(instance.fileId));
  }
  return device;
}
