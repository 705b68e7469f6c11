//! Where uploaded bytes live, behind one trait: a directory on disk (the
//! default) or memory (tests). Names are the domain's file ids; a write is
//! atomic, so a crash never leaves half a file under a real name.

use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Mutex;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::Stream;
use tokio_util::io::ReaderStream;

use super::StoreError;

/// A stored file's bytes, as a stream, with its length.
pub struct FileBody {
    /// Its length in bytes.
    pub length: u64,
    /// The bytes.
    pub stream: Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>,
}

/// Bytes arriving, chunk by chunk (an upload's body).
pub type Incoming = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// Stored bytes by name.
#[async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores `bytes` under `name`, replacing what was there, atomically.
    async fn put(&self, name: &str, bytes: Bytes) -> Result<(), StoreError>;
    /// Stores what `incoming` yields under `name` as it arrives, holding no
    /// more than a chunk in memory; returns the size. When `incoming` fails
    /// nothing is kept and its error is returned.
    async fn put_stream(&self, name: &str, incoming: Incoming) -> Result<u64, StoreError>;
    /// The bytes under `name`, if any.
    async fn open(&self, name: &str) -> Result<Option<FileBody>, StoreError>;
    /// The first `limit` bytes under `name`, if any (to sniff a type).
    async fn head(&self, name: &str, limit: usize) -> Result<Option<Vec<u8>>, StoreError>;
    /// Removes `name`; removing what is not there is no error.
    async fn remove(&self, name: &str) -> Result<(), StoreError>;
}

/// Files in one directory.
pub struct DiskFiles {
    dir: PathBuf,
}

impl DiskFiles {
    /// Files under `dir`, which is created if missing.
    pub fn open(dir: PathBuf) -> Result<Self, StoreError> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }
}

fn missing_is_none<T>(result: std::io::Result<T>) -> Result<Option<T>, StoreError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[async_trait]
impl FileStore for DiskFiles {
    async fn put(&self, name: &str, bytes: Bytes) -> Result<(), StoreError> {
        let temp = self.dir.join(format!("{name}.partial"));
        tokio::fs::write(&temp, &bytes).await?;
        tokio::fs::rename(&temp, self.dir.join(name)).await?;
        Ok(())
    }

    async fn put_stream(&self, name: &str, mut incoming: Incoming) -> Result<u64, StoreError> {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let temp = self.dir.join(format!("{name}.partial"));
        let written = async {
            let mut file = tokio::fs::File::create(&temp).await?;
            let mut size = 0u64;
            while let Some(chunk) = incoming.next().await {
                let chunk = chunk?;
                file.write_all(&chunk).await?;
                size += chunk.len() as u64;
            }
            file.flush().await?;
            Ok::<u64, std::io::Error>(size)
        }
        .await;
        match written {
            Ok(size) => {
                tokio::fs::rename(&temp, self.dir.join(name)).await?;
                Ok(size)
            }
            Err(error) => {
                missing_is_none(tokio::fs::remove_file(&temp).await)?;
                Err(error.into())
            }
        }
    }

    async fn open(&self, name: &str) -> Result<Option<FileBody>, StoreError> {
        let Some(file) = missing_is_none(tokio::fs::File::open(self.dir.join(name)).await)? else { return Ok(None) };
        let length = file.metadata().await?.len();
        Ok(Some(FileBody { length, stream: Box::pin(ReaderStream::new(file)) }))
    }

    async fn head(&self, name: &str, limit: usize) -> Result<Option<Vec<u8>>, StoreError> {
        use tokio::io::AsyncReadExt;
        let Some(file) = missing_is_none(tokio::fs::File::open(self.dir.join(name)).await)? else { return Ok(None) };
        let mut head = Vec::with_capacity(limit);
        file.take(limit as u64).read_to_end(&mut head).await?;
        Ok(Some(head))
    }

    async fn remove(&self, name: &str) -> Result<(), StoreError> {
        missing_is_none(tokio::fs::remove_file(self.dir.join(name)).await)?;
        Ok(())
    }
}

/// Files in memory, for tests.
#[derive(Default)]
pub struct MemoryFiles {
    files: Mutex<HashMap<String, Bytes>>,
}

impl MemoryFiles {
    fn get(&self, name: &str) -> Result<Option<Bytes>, StoreError> {
        let files = self.files.lock().map_err(|_| StoreError::Task("file map lock poisoned".into()))?;
        Ok(files.get(name).cloned())
    }
}

#[async_trait]
impl FileStore for MemoryFiles {
    async fn put(&self, name: &str, bytes: Bytes) -> Result<(), StoreError> {
        let mut files = self.files.lock().map_err(|_| StoreError::Task("file map lock poisoned".into()))?;
        files.insert(name.to_owned(), bytes);
        Ok(())
    }

    async fn put_stream(&self, name: &str, mut incoming: Incoming) -> Result<u64, StoreError> {
        use futures_util::StreamExt;
        let mut all = Vec::new();
        while let Some(chunk) = incoming.next().await {
            all.extend_from_slice(&chunk?);
        }
        let size = all.len() as u64;
        self.put(name, Bytes::from(all)).await?;
        Ok(size)
    }

    async fn open(&self, name: &str) -> Result<Option<FileBody>, StoreError> {
        Ok(self.get(name)?.map(|bytes| FileBody {
            length: bytes.len() as u64,
            stream: Box::pin(futures_util::stream::iter([Ok(bytes)])),
        }))
    }

    async fn head(&self, name: &str, limit: usize) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.get(name)?.map(|bytes| bytes[..bytes.len().min(limit)].to_vec()))
    }

    async fn remove(&self, name: &str) -> Result<(), StoreError> {
        let mut files = self.files.lock().map_err(|_| StoreError::Task("file map lock poisoned".into()))?;
        files.remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    async fn read_all(store: &dyn FileStore, name: &str) -> Option<Vec<u8>> {
        let mut body = store.open(name).await.expect("opens")?;
        let mut bytes = Vec::new();
        while let Some(chunk) = body.stream.next().await {
            bytes.extend_from_slice(&chunk.expect("reads"));
        }
        assert_eq!(body.length, bytes.len() as u64);
        Some(bytes)
    }

    async fn behaves_as_a_file_store(store: &dyn FileStore) {
        assert!(store.open("f1").await.expect("opens").is_none());
        store.put("f1", Bytes::from_static(b"hello bytes")).await.expect("puts");
        assert_eq!(read_all(store, "f1").await.as_deref(), Some(&b"hello bytes"[..]));
        assert_eq!(store.head("f1", 5).await.expect("reads").as_deref(), Some(&b"hello"[..]));
        store.remove("f1").await.expect("removes");
        store.remove("f1").await.expect("removing twice is fine");
        assert!(read_all(store, "f1").await.is_none());
        let chunks = [Ok(Bytes::from_static(b"in ")), Ok(Bytes::from_static(b"pieces"))];
        let size = store.put_stream("f2", Box::pin(futures_util::stream::iter(chunks))).await.expect("streams");
        assert_eq!((size, read_all(store, "f2").await.as_deref()), (9, Some(&b"in pieces"[..])));
        let broken = [Ok(Bytes::from_static(b"half")), Err(std::io::Error::other("the client went away"))];
        assert!(store.put_stream("f3", Box::pin(futures_util::stream::iter(broken))).await.is_err());
        assert!(read_all(store, "f3").await.is_none(), "nothing kept of a broken upload");
        store.remove("f2").await.expect("removes");
    }

    #[tokio::test]
    async fn disk_and_memory_files_behave_alike() {
        let dir = tempfile::tempdir().expect("temp dir");
        behaves_as_a_file_store(&DiskFiles::open(dir.path().join("files")).expect("dir")).await;
        behaves_as_a_file_store(&MemoryFiles::default()).await;
        assert!(std::fs::read_dir(dir.path().join("files")).expect("dir").next().is_none(), "no partial file left");
    }
}
