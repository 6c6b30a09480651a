import { types } from "wechaty";
import type { mock } from "wechaty-puppet-mock";

/** WeChat's File Transfer contact: the default control chat. */
export const FILE_HELPER_ID = "filehelper";

export interface MockContactSpec {
  id: string;
  name: string;
  alias?: string;
  /** Numbers WeChat knows for the contact; none unless given (faker would invent some). */
  phone?: string[];
  weixin?: string;
  type?: "individual" | "official" | "corporation";
}

const CONTACT_TYPES = {
  individual: types.Contact.Individual,
  official: types.Contact.Official,
  corporation: types.Contact.Corporation,
} as const;

/**
 * A mock contact with exactly the given fields (the mocker fills the rest with random
 * data, including random phone numbers, which would pass as WeChat-verified mobiles).
 * Returns the existing one when the id is known. Ids must not contain "@" (mock rooms).
 */
export function ensureMockContact(mocker: mock.Mocker, spec: MockContactSpec): mock.ContactMock {
  if (spec.id.includes("@")) throw new Error(`a mock contact id must not contain "@": ${spec.id}`);
  if (mocker.cacheContactPayload.has(spec.id)) return mocker.ContactMock.load(spec.id);
  return mocker.createContact({
    id: spec.id,
    name: spec.name,
    alias: spec.alias,
    phone: spec.phone ?? [],
    weixin: spec.weixin,
    type: CONTACT_TYPES[spec.type ?? "individual"],
  } as never);
}

/** The mock has no File Transfer contact of its own; replies to the control chat need one. */
export function ensureMockFileHelper(mocker: mock.Mocker): mock.ContactMock {
  return ensureMockContact(mocker, { id: FILE_HELPER_ID, name: "文件传输助手" });
}

/** Creates the salesperson's account (if needed) and logs the mock puppet in as it. */
export function loginMock(mocker: mock.Mocker, self: MockContactSpec): mock.ContactMock {
  const user = ensureMockContact(mocker, self);
  mocker.login(user);
  return user;
}
