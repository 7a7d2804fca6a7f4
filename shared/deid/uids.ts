// Which UI elements name an instance (replaced under PS3.15 E.1 "U") and which
// name a class, syntax or scheme defined by the standard or a vendor (kept:
// they identify software, not people).
import { wellKnownUidRoot } from './pseudonym';

const classLikeKeyword = /ClassUID|ClassesInStudy|TransferSyntax|CodingSchemeUID|ContextGroupExtensionCreatorUID|PrivateInformationCreatorUID|MappingResourceUID|ImplementationClassUID/;

export function isClassLikeUidKeyword(keyword: string): boolean {
  return classLikeKeyword.test(keyword);
}

export function isWellKnownUid(uid: string): boolean {
  return uid.startsWith(wellKnownUidRoot);
}
