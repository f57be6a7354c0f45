// The signed-in user's bearer token. sessionStorage: it lives as long as the tab, and is gone when the tab is
// closed, which suits a one-hour token better than localStorage would.
const KEY = 'picturebook.token';
const EMAIL = 'picturebook.email';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  email: (): string | null => sessionStorage.getItem(EMAIL),
  signedIn: (): boolean => sessionStorage.getItem(KEY) !== null,
  save(token: string, email: string): void {
    sessionStorage.setItem(KEY, token);
    sessionStorage.setItem(EMAIL, email);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(EMAIL);
  },
};
