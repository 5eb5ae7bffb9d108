/**
 * The few strings the chat page itself shows (everything the bot says is localized server-side).
 * Chosen in the browser from `navigator.languages`; English when none matches.
 */
export const PAGE_STRINGS = {
  en: {
    title: 'Chat with us',
    placeholder: 'Type a message…',
    send: 'Send',
    photo: 'Photo',
    offline: 'No connection. Retrying…',
    error: 'Something went wrong. Please try again.',
    tooLarge: 'That photo is too large.',
    retry: 'Not sent. Tap to retry.',
  },
  hi: {
    title: 'हमसे चैट करें',
    placeholder: 'संदेश लिखें…',
    send: 'भेजें',
    photo: 'फ़ोटो',
    offline: 'कनेक्शन नहीं है। फिर से कोशिश कर रहे हैं…',
    error: 'कुछ गलत हो गया। कृपया फिर से कोशिश करें।',
    tooLarge: 'यह फ़ोटो बहुत बड़ी है।',
    retry: 'नहीं भेजा गया। फिर से भेजने के लिए टैप करें।',
  },
  id: {
    title: 'Chat dengan kami',
    placeholder: 'Ketik pesan…',
    send: 'Kirim',
    photo: 'Foto',
    offline: 'Tidak ada koneksi. Mencoba lagi…',
    error: 'Terjadi kesalahan. Silakan coba lagi.',
    tooLarge: 'Foto terlalu besar.',
    retry: 'Tidak terkirim. Ketuk untuk mencoba lagi.',
  },
  zh: {
    title: '与我们聊天',
    placeholder: '输入消息…',
    send: '发送',
    photo: '照片',
    offline: '无网络连接，正在重试…',
    error: '出错了，请重试。',
    tooLarge: '照片太大。',
    retry: '未发送，点按重试。',
  },
  es: {
    title: 'Chatea con nosotros',
    placeholder: 'Escribe un mensaje…',
    send: 'Enviar',
    photo: 'Foto',
    offline: 'Sin conexión. Reintentando…',
    error: 'Algo salió mal. Inténtalo de nuevo.',
    tooLarge: 'La foto es demasiado grande.',
    retry: 'No enviado. Toca para reintentar.',
  },
} as const satisfies Record<string, Record<string, string>>;

export type PageLanguage = keyof typeof PAGE_STRINGS;
