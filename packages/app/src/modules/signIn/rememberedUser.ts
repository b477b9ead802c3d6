import type { IdentityApi } from '@backstage/frontend-plugin-api';

const STORAGE_KEY = 'sidecars.demoSignIn.user';

/** The demo user this browser last entered as, so a reload signs in again without asking. */
export const rememberedUser = {
  get: (): string | undefined => localStorage.getItem(STORAGE_KEY) ?? undefined,
  set: (name: string) => localStorage.setItem(STORAGE_KEY, name),
  forget: () => localStorage.removeItem(STORAGE_KEY),
};

/** `identity`, whose sign-out also forgets the remembered user, so the next visit offers the choice again. */
export function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      rememberedUser.forget();
      await identity.signOut();
    },
  };
}
